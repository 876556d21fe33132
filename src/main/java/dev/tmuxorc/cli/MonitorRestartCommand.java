package dev.tmuxorc.cli;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor restart}: stop, then start again with the same options. */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = {
        "Stop the background monitor (if it runs) and start it again. Without options it is started with the "
            + "arguments it was started with (recorded in BASE/monitor.json); with any option of `monitor start`, "
            + "with those and the global options given here instead. Global options alone (-c, -L) only find the "
            + "running monitor.",
        "Exit status as for stop and start: 1 when it would not stop or the new one is not ready."})
final class MonitorRestartCommand implements Callable<Integer> {

  @ParentCommand
  MonitorCommand monitor;

  @Spec
  CommandSpec spec;

  @Mixin
  MonitorOptions options;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s", converter = DurationConverter.class,
      description = "How long to wait for the new monitor to be ready (default 15s).")
  Duration timeout;

  @Option(names = "--stop-timeout", paramLabel = "DURATION", defaultValue = "30s",
      converter = DurationConverter.class, description = "How long to wait for the old one to exit (default 30s).")
  Duration stopTimeout;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(monitor.main.global, true);
    List<String> args = new ArrayList<>(List.of("monitor", "--foreground"));
    args.addAll(options.args());
    args.addAll(monitor.main.global.args());
    // read before stopping: the old monitor removes its record on the way out
    Optional<DaemonRecord> recorded = DaemonRecord.read(BaseDir.current());
    // Without monitor options it runs again as it ran; global options (-c, -L) here only find the old one.
    if (options.args().isEmpty() && recorded.isPresent() && !recorded.get().args().isEmpty()) {
      args = recorded.get().args();
    }
    int stopped = MonitorStopCommand.stop(spec, stopTimeout);
    if (stopped != 0) {
      return stopped;
    }
    return MonitorStartCommand.startDetached(spec, monitor.main.global, options.overrides(), args, timeout);
  }
}
