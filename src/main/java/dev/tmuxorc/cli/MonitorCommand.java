package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.actions.ActionSettings;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.app.Surfaces;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.RunLock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  private static final Logger log = LoggerFactory.getLogger(MonitorCommand.class);

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
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>(options.overrides());
    if (noHttp) {
      overrides.put("tmux-orc.http.enabled", false);
    }
    return runForeground(overrides, options);
  }

  /** The foreground monitor, with {@code overrides} from the command line; returns when it has stopped. */
  Integer runForeground(Map<String, Object> overrides, MonitorOptions options) throws Exception {
    Launcher.logLevel(main.global, false);
    var config = Launcher.config(main.global, overrides);
    Settings settings = Settings.from(config);
    BaseDir base = BaseDir.current();
    if (RunLock.acquire(base).isEmpty()) {
      spec.commandLine().getErr().println("tmux-orc: a monitor already runs for " + base.path()
          + DaemonRecord.read(base).map(r -> " (pid " + r.pid() + (r.url() != null ? ", " + r.url() : "") + ")")
              .orElse("") + ": stop it first (tmux-orc monitor stop), or give this one its own "
          + BaseDir.ENV_VAR);
      spec.commandLine().getErr().flush();
      return 1;
    }
    log.info("tmux-orc monitoring tmux on {} (strategy {}); Ctrl-C to stop", settings.tmux().server().describe(),
        settings.monitoring().strategy().wireName());
    Guardian.Wiring wiring = Guardian.Wiring.of(settings).withSurfaces(Surfaces.from(config))
        .withActions(ActionSettings.from(config));
    ActorSystem<Guardian.Command> system = Launcher.start(config, settings, wiring);
    Launcher.logEvents(system, options.events.file);
    if (wiring.surfaces().http().isPresent()) {
      recordOnceBound(system, wiring.apiUrl(), settings, wiring.surfaces().http().get().token().isPresent());
    } else {
      recordDaemon(system, null, settings); // no API, but stop and status still find it
    }
    // Pekko's CoordinatedShutdown runs on SIGINT/SIGTERM through its JVM shutdown hook and stops every
    // actor; the pool's PostStop closes the control clients, and tmux then removes the hidden session.
    // The JVM may exit as soon as the hook is done, so the goodbye is said by a shutdown task, not by main.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "goodbye",
        () -> {
          log.info("tmux-orc stopping: closing tmux clients");
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  // The API is what every other command finds the monitor by: record it once bound; without it, stop.
  private void recordOnceBound(ActorSystem<?> system, CompletableFuture<String> apiUrl, Settings settings,
      boolean token) {
    try {
      String url = apiUrl.get(30, TimeUnit.SECONDS);
      recordDaemon(system, url, settings);
      log.info("tmux-orc API on {} (GET /api/status, /api/agents, /api/events, /metrics)", url);
      log.info("dashboard: {}", DashboardUrl.shown(url, token));
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      log.error("cannot serve the HTTP API: {}", cause.getMessage());
      system.terminate();
      throw new SettingsException("cannot serve the HTTP API: " + cause.getMessage(), cause);
    }
  }

  /**
   * Records this monitor in {@code BASE/monitor.pid} and {@code monitor.json} once its HTTP API is bound at
   * {@code url}, and removes the record again when the actor system shuts down (if it still names this
   * process). For the foreground run to call after binding.
   */
  DaemonRecord recordDaemon(ActorSystem<?> system, String url, Settings settings) {
    BaseDir base = BaseDir.current();
    List<String> args = spec.root().commandLine().getParseResult() == null ? List.of()
        : spec.root().commandLine().getParseResult().originalArgs();
    DaemonRecord record = DaemonRecord.ofThisProcess(url, settings.tmux().server().describe(), args);
    record.write(base);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "remove-pid-file",
        () -> {
          record.removeIfOurs(base);
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    return record;
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
