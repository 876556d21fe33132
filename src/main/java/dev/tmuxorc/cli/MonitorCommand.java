package dev.tmuxorc.cli;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.Strategy;
import dev.tmuxorc.app.Guardian;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;

/** {@code tmux-orc monitor}: runs the supervisor until SIGINT/SIGTERM. */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = {
        "Watch the agents on a tmux server continuously: discover them, follow each one's state and health, "
            + "and log discoveries and state changes.",
        "Runs in the foreground until SIGINT (Ctrl-C) or SIGTERM, then shuts down cleanly (control clients "
            + "closed, the hidden session removed). Only reads panes."})
final class MonitorCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(MonitorCommand.class);

  @ParentCommand
  Main main;

  @Option(names = "--foreground", description = "Run in the foreground (the only mode; accepted for "
      + "compatibility with the original tool).")
  boolean foreground;

  @ArgGroup(exclusive = true)
  StrategyChoice strategy;

  static final class StrategyChoice {
    @Option(names = "--strategy", paramLabel = "STRATEGY",
        description = "How to watch: event (capture only panes tmux reports as changed, full sweep every "
            + "check-interval), concurrent (full sweep every poll-interval, batches in parallel) or polling "
            + "(sequential sweep). Default: tmux-orc.monitoring.strategy (event).")
    String name;

    @Option(names = "--sync", description = "Alias for --strategy polling.")
    boolean sync;

    @Option(names = "--async", description = "Alias for --strategy event (the default).")
    boolean async;

    String resolve() {
      if (sync) {
        return Strategy.POLLING.wireName();
      }
      if (async) {
        return Strategy.EVENT.wireName();
      }
      return name;
    }
  }

  @Mixin
  EventsOption events;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(main.global, false);
    Map<String, Object> overrides = new HashMap<>();
    if (strategy != null && strategy.resolve() != null) {
      overrides.put("tmux-orc.monitoring.strategy", strategy.resolve());
    }
    var config = Launcher.config(main.global, overrides);
    Settings settings = Settings.from(config);
    log.info("tmux-orc monitoring tmux on {} (strategy {}); Ctrl-C to stop", settings.tmux().server().describe(),
        settings.monitoring().strategy().wireName());
    ActorSystem<Guardian.Command> system = Launcher.start(config, settings);
    Launcher.logEvents(system, events.file);
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
}
