package dev.tmuxorc.cli;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonStopper;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor stop}: SIGTERM to the recorded monitor, and wait until it has exited. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {
        "Stop the background monitor: send it SIGTERM (it closes its tmux clients and removes its hidden session) "
            + "and wait until it has exited, then remove BASE/monitor.pid and monitor.json if still there.",
        "Exit status 0 when it stopped or was not running (so that stopping twice is fine; a stale PID file is "
            + "removed and only that is said), 1 when it still runs after --timeout."})
final class MonitorStopCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long to wait for it to exit (default 30s).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    return stop(spec, timeout);
  }

  static int stop(CommandSpec spec, Duration timeout) throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    BaseDir base = BaseDir.current();
    DaemonStopper.Outcome outcome = DaemonStopper.stop(base, timeout);
    if (outcome instanceof DaemonStopper.Stopped stopped) {
      out.printf("stopped tmux-orc (pid %d) in %.1f s%n", stopped.pid(), stopped.took().toMillis() / 1000.0);
    } else if (outcome instanceof DaemonStopper.NotRunning) {
      out.println("tmux-orc monitor is not running");
    } else if (outcome instanceof DaemonStopper.StaleRemoved stale) {
      out.println("tmux-orc monitor is not running; removed a stale PID file (" + stale.stale().reason() + ")");
    } else if (outcome instanceof DaemonStopper.NotPermitted denied) {
      err.println("tmux-orc: not permitted to signal the monitor (pid " + denied.pid() + "): another user's process?");
      err.flush();
      return 1;
    } else if (outcome instanceof DaemonStopper.StillRunning running) {
      err.printf("tmux-orc: the monitor (pid %d) is still running %d s after SIGTERM; its log: %s%n"
          + "  to end it at once: kill -9 %d%n", running.pid(), running.waited().toSeconds(), base.monitorLog(),
          running.pid());
      err.flush();
      return 1;
    }
    out.flush();
    return 0;
  }
}
