package dev.tmuxorc.tmux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class TmuxPoolTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  @BeforeEach
  void start() {
    tmux.session("work", "main", TmuxServerFixture.IDLE_COMMAND);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private ActorRef<TmuxPool.Command> pool(Settings settings) {
    return testKit.spawn(TmuxPool.create(settings.tmux(), settings.monitoring().pool(), TmuxPool.factoryFor(settings.tmux())));
  }

  private StatusReply<List<Reply>> run(ActorRef<TmuxPool.Command> pool, TmuxCommand... commands) {
    TestProbe<StatusReply<List<Reply>>> probe = testKit.createTestProbe();
    pool.tell(new TmuxPool.Run(List.of(commands), probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private PoolStats stats(ActorRef<TmuxPool.Command> pool) {
    TestProbe<PoolStats> probe = testKit.createTestProbe();
    pool.tell(new TmuxPool.GetStats(probe.getRef()));
    return probe.receiveMessage();
  }

  private static TmuxCommand echo(String text) {
    return TmuxCommand.of("display-message", "-p", text);
  }

  @Test
  void batchesRunOnReusedClientsAndAreCounted() {
    ActorRef<TmuxPool.Command> pool = pool(TestSettings.settings(tmux.socket()));
    for (int i = 0; i < 5; i++) {
      StatusReply<List<Reply>> reply = run(pool, echo("a" + i), echo("b" + i));
      assertTrue(reply.isSuccess(), () -> String.valueOf(reply.getError()));
      assertEquals("b" + i, reply.getValue().get(1).text());
    }
    PoolStats stats = stats(pool);
    assertEquals(5, stats.acquisitions());
    assertEquals(1, stats.created());
    assertEquals(4, stats.reused());
    assertEquals(0, stats.inFlight());
    assertTrue(stats.available());
    testKit.stop(pool);
  }

  @Test
  void aClientWhoseProcessIsKilledIsReplaced() throws Exception {
    ActorRef<TmuxPool.Command> pool = pool(TestSettings.settings(tmux.socket()));
    assertTrue(run(pool, echo("warm")).isSuccess());
    for (ProcessHandle client : tmuxClientsOf(tmux.socket())) {
      client.destroyForcibly();
    }
    TestProbe<PoolStats> probe = testKit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      pool.tell(new TmuxPool.GetStats(probe.getRef()));
      PoolStats stats = probe.receiveMessage();
      assertEquals(1, stats.replaced());
      assertEquals(1, stats.size());
      return null;
    });
    StatusReply<List<Reply>> after = run(pool, echo("after"));
    assertTrue(after.isSuccess(), () -> String.valueOf(after.getError()));
    assertEquals("after", after.getValue().get(0).text());
    testKit.stop(pool);
  }

  @Test
  void anUnreachableServerFailsBatchesAtOnceAndIsReconnectedWhenItReturns() {
    TmuxServerFixture later = new TmuxServerFixture();
    try {
      ActorRef<TmuxPool.Command> pool = pool(TestSettings.settings(later.socket()));
      StatusReply<List<Reply>> failed = run(pool, echo("x"));
      assertTrue(failed.isError());
      assertTrue(failed.getError().getMessage().contains("no tmux server running"), failed.getError().getMessage());
      later.session("late", "main", TmuxServerFixture.IDLE_COMMAND);
      TestProbe<StatusReply<List<Reply>>> probe = testKit.createTestProbe();
      probe.awaitAssert(Duration.ofSeconds(10), Duration.ofMillis(100), () -> {
        pool.tell(new TmuxPool.Run(List.of(echo("back")), probe.getRef()));
        StatusReply<List<Reply>> reply = probe.receiveMessage();
        assertTrue(reply.isSuccess());
        return null;
      });
      testKit.stop(pool);
    } finally {
      later.close();
    }
  }

  @Test
  void clientsOlderThanMaxAgeAreRecycledBetweenBatches() {
    ActorRef<TmuxPool.Command> pool = pool(TestSettings.settings(tmux.socket(),
        Map.of("tmux-orc.monitoring.pool.max-age", "1ns")));
    for (int i = 0; i < 3; i++) {
      assertTrue(run(pool, echo("r" + i)).isSuccess());
    }
    PoolStats stats = stats(pool);
    assertEquals(3, stats.recycled());
    assertTrue(stats.created() >= 3);
    testKit.stop(pool);
  }

  @Test
  void aBatchWaitsForAFreeClientNoLongerThanTheConnectionTimeout() {
    Settings settings = TestSettings.settings(tmux.socket(), Map.of(
        "tmux-orc.monitoring.pool.max-size", 1,
        "tmux-orc.monitoring.pool.connection-timeout", "200ms"));
    // Pool logic only: a client that never answers holds the single slot.
    ActorRef<TmuxPool.Command> pool = testKit.spawn(TmuxPool.create(settings.tmux(), settings.monitoring().pool(), (n, blocking) -> new SilentClient()));
    TestProbe<StatusReply<List<Reply>>> first = testKit.createTestProbe();
    pool.tell(new TmuxPool.Run(List.of(echo("never")), first.getRef()));
    StatusReply<List<Reply>> second = run(pool, echo("waits"));
    assertTrue(second.isError());
    assertInstanceOf(TimeoutException.class, second.getError());
    assertEquals(1, stats(pool).timeouts());
    testKit.stop(pool);
  }

  /** The tmux -C processes this JVM started for {@code socket}. */
  static List<ProcessHandle> tmuxClientsOf(String socket) {
    return ProcessHandle.current().children()
        .filter(p -> p.info().arguments().map(args -> List.of(args).contains("-C")
            && List.of(args).contains(socket)).orElse(false))
        .toList();
  }

  private static final class SilentClient implements TmuxClient {
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    @Override
    public CompletionStage<List<Reply>> run(List<TmuxCommand> batch, ReplyListener listener) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<String> whenClosed() {
      return closed;
    }

    @Override
    public boolean isAlive() {
      return !closed.isDone();
    }

    @Override
    public void close() {
      closed.complete("closed");
    }
  }
}
