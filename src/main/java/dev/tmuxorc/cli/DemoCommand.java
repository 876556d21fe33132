package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.sim.SimulatedFleet;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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
    Config config = ConfigFactory.parseMap(Map.of(
        "tmux-orc.tmux.socket-name", fleet.socket(), "tmux-orc.tmux.socket-path", "")).withFallback(base);
    Settings settings = Settings.from(config);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%ntmux-orc demo: a PM and %d simulated agents on the private tmux server '%s'.%n", agents,
        fleet.socket());
    out.printf("  watch them:  tmux -L %s attach -t sim-1     (detach: Ctrl-b d)%n", fleet.socket());
    out.printf("  scan them:   %s scan -L %s%n", Launcher.selfCommand(), fleet.socket());
    out.printf("  stop:        Ctrl-C here (removes the private server)%n%n");
    out.flush();
    ActorSystem<Guardian.Command> system = Launcher.start(config, settings);
    Launcher.logEvents(system, events.file);
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
      log.info("tmux-orc demo stopped: removed the private tmux server '{}'", fleet.socket());
    }, "demo-fleet-removal");
    Runtime.getRuntime().addShutdownHook(removeFleet);
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }
}
