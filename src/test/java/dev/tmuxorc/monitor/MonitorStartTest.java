package dev.tmuxorc.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.tmux.ClientFactory;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * When a periodic monitor starts cycling: the Guardian lets the HTTP API bind first (docs/benchmarks.md, run 6).
 * The pool is a probe: the first cycle shows as its list-panes batch. No tmux needed.
 */
class MonitorStartTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static final ClientFactory NO_CLIENTS = (notifications, blocking) -> {
    throw new AssertionError("the monitor opened a client of its own");
  };

  // The concurrent strategy (TestSettings): no change watcher, a full cycle at once and every poll-interval.
  private ActorRef<Monitor.Command> monitor(TestProbe<TmuxPool.Command> pool, CompletionStage<?> startAfter) {
    Settings settings = TestSettings.settings("unused");
    Monitor.Parts parts = new Monitor.Parts(pool.getRef(), NO_CLIENTS, Classifier.fromConfig(settings.detection()),
        null, listing -> { }, new Readiness(), CycleObserver.NONE, Clock.systemUTC());
    return testKit.spawn(startAfter == null ? Monitor.create(settings, parts, true)
        : Monitor.create(settings, parts, true, startAfter));
  }

  @Test
  void cyclesStartOnlyOnceTheStageItWasGivenHasCompleted() {
    TestProbe<TmuxPool.Command> pool = testKit.createTestProbe();
    CompletableFuture<Void> bound = new CompletableFuture<>();
    ActorRef<Monitor.Command> monitor = monitor(pool, bound);
    TestProbe<CycleStats> stats = testKit.createTestProbe();
    monitor.tell(new Monitor.GetCycleStats(stats.getRef()));
    assertEquals(0, stats.receiveMessage().cycles()); // it is up, and answers meanwhile
    pool.expectNoMessage(Duration.ofMillis(300));

    bound.completeExceptionally(new IllegalStateException("could not bind")); // failed counts as done
    TmuxPool.Run first = pool.expectMessageClass(TmuxPool.Run.class);
    assertEquals("list-panes", first.commands().get(0).name());
    testKit.stop(monitor);
  }

  @Test
  void withoutAStageItCyclesAtOnceAsBefore() {
    TestProbe<TmuxPool.Command> pool = testKit.createTestProbe();
    ActorRef<Monitor.Command> monitor = monitor(pool, null);
    assertEquals("list-panes", pool.expectMessageClass(TmuxPool.Run.class).commands().get(0).name());
    testKit.stop(monitor);
  }
}
