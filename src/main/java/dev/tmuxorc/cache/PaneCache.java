package dev.tmuxorc.cache;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Owns the cache layers' upkeep: expires their stale entries on a timer (so an idle fleet's memory shrinks too)
 * and answers for their statistics ({@code status --detailed}, {@code /api/status}).
 */
public final class PaneCache extends AbstractBehavior<PaneCache.Command> {

  public sealed interface Command { }

  public record GetStats(ActorRef<List<CacheStats>> replyTo) implements Command { }

  private enum CleanUp implements Command { INSTANCE }

  static final Duration CLEAN_UP_EVERY = Duration.ofSeconds(30);

  public static Behavior<Command> create(Caches caches) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(CleanUp.INSTANCE, CLEAN_UP_EVERY);
      return new PaneCache(context, caches);
    }));
  }

  private final Caches caches;

  private PaneCache(ActorContext<Command> context, Caches caches) {
    super(context);
    this.caches = caches;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(GetStats.class, get -> {
          get.replyTo().tell(caches.stats());
          return this;
        })
        .onMessageEquals(CleanUp.INSTANCE, () -> {
          caches.cleanUp();
          return this;
        })
        .build();
  }
}
