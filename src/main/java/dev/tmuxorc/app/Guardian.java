package dev.tmuxorc.app;

import dev.tmuxorc.cache.CacheLayer;
import dev.tmuxorc.cache.Caches;
import dev.tmuxorc.cache.PaneCache;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.detect.ScreenClassifier;
import dev.tmuxorc.fleet.FleetView;
import dev.tmuxorc.metrics.Metrics;
import dev.tmuxorc.metrics.MetricsListener;
import dev.tmuxorc.metrics.MetricsSampler;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.monitor.Readiness;
import dev.tmuxorc.tmux.ClientFactory;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Clock;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root of the actor tree, wiring only: spawns each part and hands it the others it talks to. Each capability
 * is one child here. Once every child has stopped, it removes this process's hidden tmux session.
 */
public final class Guardian {

  public sealed interface Command { }

  /** The parts that answer queries, for the HTTP API and tests. */
  public record GetParts(ActorRef<Parts> replyTo) implements Command { }

  public record Parts(ActorRef<TmuxPool.Command> pool, ActorRef<Monitor.Command> monitor,
      ActorRef<FleetView.Command> fleet, ActorRef<PaneCache.Command> cache, Readiness readiness, Metrics metrics) { }

  /** The version in the jar's manifest, or "(development build)" outside a jar. */
  public static String version() {
    String version = Guardian.class.getPackage().getImplementationVersion();
    return version != null ? version : "(development build)";
  }

  private Guardian() {
  }

  /**
   * What the tree is built with besides the settings. {@code periodic}: cycles run on a timer (the monitor);
   * without it they run only when asked (the benchmark, tests).
   */
  public record Wiring(ClientFactory clients, ScreenClassifier classifier, Clock clock, boolean periodic) {

    public static Wiring of(Settings settings) {
      return new Wiring(TmuxPool.factoryFor(settings.tmux()), Classifier.fromConfig(settings.detection()),
          Clock.systemUTC(), true);
    }

    public Wiring withClassifier(ScreenClassifier other) {
      return new Wiring(clients, other, clock, periodic);
    }

    public Wiring withPeriodic(boolean on) {
      return new Wiring(clients, classifier, clock, on);
    }
  }

  public static Behavior<Command> create(Settings settings, Wiring wiring) {
    return Behaviors.setup(context -> {
      ClientFactory clients = wiring.clients();
      Clock clock = wiring.clock();
      Caches caches = new Caches(settings);
      Readiness readiness = new Readiness();
      Metrics metrics = new Metrics(version(), settings.monitoring().strategy().wireName());
      // Before anything publishes: the listener must see every agent's discovery.
      context.spawn(MetricsListener.create(metrics), "metrics-listener");
      ActorRef<TmuxPool.Command> pool = context.spawn(Behaviors.supervise(TmuxPool.create(settings.tmux(),
          settings.monitoring().pool(), clients)).onFailure(SupervisorStrategy.restart()), "tmux-pool");
      context.spawn(MetricsSampler.create(metrics, pool, caches, () -> null), "metrics-sampler");
      ActorRef<PaneCache.Command> cache = context.spawn(PaneCache.create(caches), "cache");
      ActorRef<FleetView.Command> fleet = context.spawn(Behaviors.supervise(FleetView.create(caches, clock))
          .onFailure(SupervisorStrategy.restart()), "fleet-view");
      ActorRef<Monitor.Command> monitor = context.spawn(Monitor.create(settings, new Monitor.Parts(pool, clients,
          wiring.classifier(), caches.layer(CacheLayer.PANE_CONTENT),
          listing -> fleet.tell(new FleetView.Listed(listing)), readiness, metrics, clock), wiring.periodic()),
          "monitor");
      Parts parts = new Parts(pool, monitor, fleet, cache, readiness, metrics);
      return Behaviors.receive(Command.class)
          .onMessage(GetParts.class, get -> {
            get.replyTo().tell(parts);
            return Behaviors.same();
          })
          // Children have stopped (the pool closed its clients): our hidden session can go.
          .onSignal(PostStop.class, signal -> {
            settings.tmux().removeHiddenSession();
            return Behaviors.same();
          })
          .build();
    });
  }
}
