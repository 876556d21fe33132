package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.actions.ActionSettings;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.app.Surfaces;
import dev.tmuxorc.sim.SimulatedFleet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc demo}: a private tmux server of simulated agents, supervised live. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Start a private tmux server with a simulated team (a PM and N fake Claude Code agents moving through "
            + "every state: working, idle, waiting, unsubmitted, rate-limited, error, crashed) and supervise it "
            + "live, logging discoveries and state changes.",
        "Attach to watch the agents with the command it prints. Ctrl-C stops the demo and removes the private "
            + "server. Never touches any other tmux server."})
final class DemoCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(DemoCommand.class);

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Option(names = "--agents", paramLabel = "N", defaultValue = "12", description = "Simulated agents besides the "
      + "PM (default 12).")
  int agents;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "0", description = "Port of the demo's HTTP "
      + "API (default 0: any free port; the URL is printed).")
  int httpPort;

  @Mixin
  EventsOption events;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(main.global, false);
    Config base = Launcher.config(main.global, Map.of());
    SimulatedFleet fleet = SimulatedFleet.create(Settings.from(base).tmux().server().binary(), "tmux-orc-demo");
    try {
      fleet.start(SimulatedFleet.demoMembers(agents), 100, 120, 36);
    } catch (Exception e) {
      fleet.close();
      throw e;
    }
    // The demo's journal is its own, not the user's: it goes with the private server.
    Path journalDir = Files.createTempDirectory("tmux-orc-demo-");
    Config config = ConfigFactory.parseMap(Map.of(
        "tmux-orc.tmux.socket-name", fleet.socket(), "tmux-orc.tmux.socket-path", "",
        "tmux-orc.journal.path", journalDir.resolve("journal.db").toString(),
        "tmux-orc.http.port", httpPort)).withFallback(base);
    Settings settings = Settings.from(config);
    Guardian.Wiring wiring = Guardian.Wiring.of(settings).withSurfaces(Surfaces.from(config))
        .withActions(ActionSettings.from(config));
    ActorSystem<Guardian.Command> system = Launcher.start(config, settings, wiring);
    Launcher.logEvents(system, events.file);
    Optional<String> api;
    String notServed = "";
    try {
      api = Optional.of(wiring.apiUrl().get(30, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      api = Optional.empty();
      notServed = e.getCause().getMessage();
    }
    PrintWriter out = spec.commandLine().getOut();
    banner(out, agents, fleet.socket(), api.orElse("(not served: " + notServed + ")"),
        api.map(url -> DashboardUrl.shown(url, MonitorCommand.token(config).isPresent())));
    out.flush();
    // Remove the fleet only once the actors have stopped, or they would see tmux die and start reconnecting.
    // Pekko's own hook runs the coordinated shutdown; the JVM waits for this hook too.
    CountDownLatch terminated = new CountDownLatch(1);
    system.getWhenTerminated().thenRun(terminated::countDown);
    Thread removeFleet = new Thread(() -> {
      try {
        if (!terminated.await(30, TimeUnit.SECONDS)) {
          log.warn("the actor system did not stop within 30 s; removing the demo server anyway");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      fleet.close();
      deleteQuietly(journalDir);
      log.info("tmux-orc demo stopped: removed the private tmux server '{}'", fleet.socket());
    }, "demo-fleet-removal");
    Runtime.getRuntime().addShutdownHook(removeFleet);
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  /** What the demo says once it runs: how to watch the agents, the API and the dashboard, how to stop. */
  static void banner(PrintWriter out, int agents, String socket, String api, Optional<String> dashboard) {
    out.printf("%ntmux-orc demo: a PM and %d simulated agents on the private tmux server '%s'.%n", agents, socket);
    dashboard.ifPresent(url -> out.printf("  dashboard:   %s%n", url));
    out.printf("  watch them:  tmux -L %s attach -t sim-1     (detach: Ctrl-b d)%n", socket);
    out.printf("  scan them:   %s scan -L %s%n", Launcher.selfCommand(), socket);
    out.printf("  API:         %s/api/agents   live events: curl -N %s/api/events   metrics: %s/metrics%n",
        api, api, api);
    out.printf("  stop:        Ctrl-C here (removes the private server)%n%n");
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      log.debug("could not remove {}: {}", dir, e.getMessage());
    }
  }
}
