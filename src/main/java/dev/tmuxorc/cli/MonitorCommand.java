package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor}: runs the supervisor in the foreground; its subcommands manage it as a daemon. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = {
        "Watch the agents on a tmux server continuously: discover them, follow each one's state and health, "
            + "and log discoveries and state changes.",
        "Without a subcommand it runs in the foreground until SIGINT (Ctrl-C) or SIGTERM, then shuts down "
            + "cleanly (control clients closed, the hidden session removed). Only reads panes.",
        "The subcommands run it in the background instead (a daemon in its own session, logging to "
            + "BASE/logs/monitor.log, BASE = $TMUX_ORCHESTRATOR_BASE_DIR or ~/.tmux-orchestrator) and talk to it."},
    subcommands = {MonitorStartCommand.class, MonitorStopCommand.class, MonitorStatusCommand.class,
        MonitorLogsCommand.class, MonitorPauseCommand.class, MonitorResumeCommand.class,
        MonitorRestartCommand.class})
final class MonitorCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Option(names = "--foreground", description = "Run in the foreground (what plain `monitor` does; "
      + "`monitor start` runs it in the background).")
  boolean foreground;

  @Option(names = "--no-http", description = "Serve no HTTP API (tmux-orc.http.enabled = false); the other "
      + "monitor subcommands then cannot talk to it.")
  boolean noHttp;

  @Mixin
  MonitorOptions options;

  @Override
  public Integer call() {
    Map<String, Object> overrides = new HashMap<>(options.overrides());
    if (noHttp) {
      overrides.put("tmux-orc.http.enabled", false);
    }
    return runForeground(overrides, options);
  }

  /** The foreground monitor, with {@code overrides} from the command line; returns when it has stopped. */
  Integer runForeground(Map<String, Object> overrides, MonitorOptions options) {
    return ForegroundMonitor.run(main.global, overrides, options.events.file, spec.commandLine().getErr(),
        originalArgs());
  }

  /** {@link ForegroundMonitor#record} with this command line's arguments. */
  DaemonRecord recordDaemon(ActorSystem<?> system, String url, Settings settings) {
    return ForegroundMonitor.record(system, url, settings, originalArgs());
  }

  private List<String> originalArgs() {
    var parsed = spec.root().commandLine().getParseResult();
    return parsed == null ? List.of() : parsed.originalArgs();
  }

  /** The HTTP token the CLI sends: {@code tmux-orc.http.token} (or $TMUX_ORC_HTTP_TOKEN), when set. */
  static Optional<String> token(Config config) {
    return config.hasPath("tmux-orc.http.token") ? Optional.of(config.getString("tmux-orc.http.token"))
        .filter(t -> !t.isBlank()) : Optional.empty();
  }

  /** The client of the running monitor, with the configured token. */
  static DaemonClient client(GlobalOptions global) {
    return DaemonClient.find(BaseDir.current(), token(Launcher.config(global, Map.of())));
  }
}
