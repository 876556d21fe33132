package dev.tmuxorc.metrics;

import dev.tmuxorc.cache.Caches;
import dev.tmuxorc.journal.JournalCounters;
import dev.tmuxorc.tmux.PoolStats;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Copies the numbers that live elsewhere (the pool's counters in its actor, the cache layers' statistics, the
 * journal's) into the metrics every few seconds, so that a scrape reads the registry alone and never waits.
 */
public final class MetricsSampler extends AbstractBehavior<MetricsSampler.Command> {

  public sealed interface Command { }

  private enum Sample implements Command { INSTANCE }

  private record Pool(PoolStats stats) implements Command { }

  static final Duration EVERY = Duration.ofSeconds(2);

  /** {@code journal}: null when there is no journal. */
  public static Behavior<Command> create(Metrics metrics, ActorRef<TmuxPool.Command> pool, Caches caches,
      JournalCounters journal) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Sample.INSTANCE, Duration.ZERO, EVERY);
      return new MetricsSampler(context, metrics, pool, caches, journal);
    }));
  }

  private final Metrics metrics;
  private final ActorRef<TmuxPool.Command> pool;
  private final Caches caches;
  private final JournalCounters journal;
  private final ActorRef<PoolStats> poolReplies;

  private MetricsSampler(ActorContext<Command> context, Metrics metrics, ActorRef<TmuxPool.Command> pool,
      Caches caches, JournalCounters journal) {
    super(context);
    this.metrics = metrics;
    this.pool = pool;
    this.caches = caches;
    this.journal = journal;
    this.poolReplies = context.messageAdapter(PoolStats.class, Pool::new);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Sample.INSTANCE, this::onSample)
        .onMessage(Pool.class, p -> {
          metrics.pool(p.stats());
          return this;
        })
        .build();
  }

  private Behavior<Command> onSample() {
    pool.tell(new TmuxPool.GetStats(poolReplies));
    caches.stats().forEach(metrics::cache);
    if (journal != null) {
      metrics.journal(journal.written(), journal.writeFailures(), journal.dropped(), journal.sizeBytes());
    }
    return this;
  }
}
