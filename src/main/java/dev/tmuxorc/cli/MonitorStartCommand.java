package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.daemon.DaemonCommandLine;
import dev.tmuxorc.daemon.DaemonStarter;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor start}: the monitor as a daemon, started and waited for until it is ready. */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = {
        "Start the monitor in the background: in its own session (closing the terminal does not stop it), "
            + "logging to BASE/logs/monitor.log (its stdout and stderr go to BASE/logs/monitor.out), with the "
            + "same Java, JVM flags and global options as this command.",
        "Waits until it has recorded itself in BASE/monitor.json and its HTTP API answers /health/ready, then "
            + "prints its API URL, log file and PID. If it exits or is not ready within --timeout, prints the "
            + "end of its output, stops it and exits with status 1. Refuses (status 1) while one runs.",
        "Through the launcher (bin/tmux-orc), the process it starts for this command becomes the monitor itself, "
            + "already detached, and tells the launcher what to print: one JVM instead of two, so it is ready "
            + "sooner (TMUX_ORC_START_IN_PLACE=0 turns that off).",
        "BASE is $TMUX_ORCHESTRATOR_BASE_DIR, else ~/.tmux-orchestrator."})
final class MonitorStartCommand implements Callable<Integer> {

  @ParentCommand
  MonitorCommand monitor;

  @Spec
  CommandSpec spec;

  @Mixin
  MonitorOptions options;

  @Option(names = "--foreground", description = "Run in the foreground instead (same as `monitor --foreground`).")
  boolean foreground;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
      description = "How long to wait for the monitor to be ready (default 15s).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    if (foreground) {
      return monitor.runForeground(options.overrides(), options);
    }
    return startDetached(spec, monitor.main.global, options.overrides(), daemonArgs(options, monitor.main.global),
        timeout);
  }

  /** The daemon's arguments for these options: {@code monitor --foreground}, its options, the global ones. */
  static List<String> daemonArgs(MonitorOptions options, GlobalOptions global) {
    List<String> args = new ArrayList<>(DaemonMain.PREFIX);
    args.addAll(options.args());
    args.addAll(global.args());
    return args;
  }

  /**
   * Starts a daemon running tmux-orc {@code args}, after checking here what it would check at start-up (the
   * configuration, that it serves HTTP), so that such mistakes are reported at once with status 2.
   */
  static int startDetached(CommandSpec spec, GlobalOptions global, Map<String, Object> overrides,
      List<String> args, Duration timeout) throws Exception {
    Launcher.logLevel(global, true);
    PrintWriter err = spec.commandLine().getErr();
    Config config = Launcher.config(global, overrides);
    Settings.from(config);
    if (!servesHttp(config, err)) {
      return 2;
    }
    BaseDir base = BaseDir.current();
    Optional<String> token = MonitorCommand.token(config);
    DaemonStarter starter = new DaemonStarter(base, DaemonCommandLine.ofThisJvm(), DaemonStarter.healthReady(token));
    return report(starter.start(args, timeout), base, token.isPresent(), spec.commandLine().getOut(), err);
  }

  /**
   * Whether the configuration serves the HTTP API, which a daemon needs; says so on {@code err} when not.
   */
  static boolean servesHttp(Config config, PrintWriter err) {
    if (config.hasPath("tmux-orc.http.enabled") && !config.getBoolean("tmux-orc.http.enabled")) {
      err.println("tmux-orc: monitor start needs the HTTP API (to see that the monitor is ready, and for the "
          + "other monitor commands), but tmux-orc.http.enabled is false");
      return false;
    }
    return true;
  }

  /**
   * Prints what a start did ({@code token}: the API wants one, so the dashboard URL is shown without it) and
   * returns the command's exit status: 0 started, else 1.
   */
  static int report(DaemonStarter.Outcome outcome, BaseDir base, boolean token, PrintWriter out, PrintWriter err) {
    if (outcome instanceof DaemonStarter.Started started) {
      started.staleRemoved().ifPresent(stale ->
          out.println("removed a stale PID file (" + stale.reason() + ")"));
      out.printf("tmux-orc monitor started in %.1f s%n", started.took().toMillis() / 1000.0);
      out.println("  pid:       " + started.record().pid());
      out.println("  dashboard: " + DashboardUrl.shown(started.record().url(), token));
      out.println("  api:       " + started.record().url());
      out.println("  log:       " + (started.record().log() != null ? started.record().log() : base.monitorLog()));
      out.println("  stop:      " + Launcher.selfCommand() + " monitor stop");
      out.flush();
      return 0;
    }
    if (outcome instanceof DaemonStarter.AlreadyRunning running) {
      err.println("tmux-orc: the monitor is already running (pid " + running.record().pid()
          + (running.record().url() != null ? ", " + running.record().url() : "") + ")");
      return 1;
    }
    if (outcome instanceof DaemonStarter.StartInProgress) {
      err.println("tmux-orc: another `monitor start` is starting the monitor right now (" + base.startLock()
          + " is locked)");
      return 1;
    }
    DaemonStarter.Failed failed = (DaemonStarter.Failed) outcome;
    err.println("tmux-orc: " + failed.reason() + (failed.pid() > 0 ? " (pid " + failed.pid() + ")" : ""));
    if (!failed.output().isEmpty()) {
      err.println("last lines of " + base.monitorOut() + ":");
      failed.output().forEach(line -> err.println("  " + line));
    }
    if (!failed.log().isEmpty()) {
      err.println("last lines of " + base.monitorLog() + ":");
      failed.log().forEach(line -> err.println("  " + line));
    }
    if (failed.output().isEmpty() && failed.log().isEmpty()) {
      err.println("it wrote nothing to " + base.monitorOut() + " or " + base.monitorLog());
    }
    return 1;
  }
}
