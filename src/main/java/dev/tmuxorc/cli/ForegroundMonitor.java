package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import dev.tmuxorc.actions.ActionSettings;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.app.Surfaces;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.RunLock;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor running in this process until SIGINT or SIGTERM: what {@code monitor --foreground} runs, and the
 * daemon that {@code monitor start} launches ({@link DaemonMain}).
 */
final class ForegroundMonitor {

  private static final Logger log = LoggerFactory.getLogger(ForegroundMonitor.class);

  private ForegroundMonitor() {
  }

  /**
   * Runs the monitor with {@code overrides} from the command line and returns when it has stopped (0), or 1 when
   * one already runs for this base directory. {@code args}: the command line it was given, recorded in
   * {@code BASE/monitor.json} for {@code monitor restart}.
   */
  static int run(GlobalOptions global, Map<String, Object> overrides, Path eventsFile, PrintWriter err,
      List<String> args) {
    Launcher.logLevel(global, false);
    Config config = Launcher.config(global, overrides);
    return run(config, Settings.from(config), eventsFile, err, args, (system, record) -> { });
  }

  /** What to do once the monitor has recorded itself (on the thread that then waits for it to stop). */
  interface WhenRecorded {
    void recorded(ActorSystem<Guardian.Command> system, DaemonRecord record);
  }

  /** {@link #run(GlobalOptions, Map, Path, PrintWriter, List)} with its configuration loaded and checked. */
  static int run(Config config, Settings settings, Path eventsFile, PrintWriter err, List<String> args,
      WhenRecorded whenRecorded) {
    BaseDir base = BaseDir.current();
    if (RunLock.acquire(base).isEmpty()) {
      err.println("tmux-orc: a monitor already runs for " + base.path()
          + DaemonRecord.read(base).map(r -> " (pid " + r.pid() + (r.url() != null ? ", " + r.url() : "") + ")")
              .orElse("") + ": stop it first (tmux-orc monitor stop), or give this one its own "
          + BaseDir.ENV_VAR);
      err.flush();
      return 1;
    }
    log.info("tmux-orc monitoring tmux on {} (strategy {}); Ctrl-C to stop", settings.tmux().server().describe(),
        settings.monitoring().strategy().wireName());
    Guardian.Wiring wiring = Guardian.Wiring.of(settings).withSurfaces(Surfaces.from(config))
        .withActions(ActionSettings.from(config));
    ActorSystem<Guardian.Command> system = Launcher.start(config, settings, wiring);
    Launcher.logEvents(system, eventsFile);
    DaemonRecord record;
    if (wiring.surfaces().http().isPresent()) {
      record = recordOnceBound(system, wiring.apiUrl(), settings, wiring.surfaces().http().get().token().isPresent(),
          args);
    } else {
      record = record(system, null, settings, args); // no API, but stop and status still find it
    }
    // Pekko's CoordinatedShutdown runs on SIGINT/SIGTERM through its JVM shutdown hook and stops every
    // actor; the pool's PostStop closes the control clients, and tmux then removes the hidden session.
    // The JVM may exit as soon as the hook is done, so the goodbye is said by a shutdown task, not by main.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "goodbye",
        () -> {
          log.info("tmux-orc stopping: closing tmux clients");
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    whenRecorded.recorded(system, record);
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  // The API is what every other command finds the monitor by: record it once bound; without it, stop.
  private static DaemonRecord recordOnceBound(ActorSystem<?> system, CompletableFuture<String> apiUrl,
      Settings settings, boolean token, List<String> args) {
    try {
      String url = apiUrl.get(30, TimeUnit.SECONDS);
      DaemonRecord record = record(system, url, settings, args);
      log.info("tmux-orc API on {} (GET /api/status, /api/agents, /api/events, /metrics)", url);
      log.info("dashboard: {}", DashboardUrl.shown(url, token));
      return record;
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
   * process).
   */
  static DaemonRecord record(ActorSystem<?> system, String url, Settings settings, List<String> args) {
    BaseDir base = BaseDir.current();
    DaemonRecord record = DaemonRecord.ofThisProcess(url, settings.tmux().server().describe(), args);
    record.write(base);
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "remove-pid-file",
        () -> {
          record.removeIfOurs(base);
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    return record;
  }
}
