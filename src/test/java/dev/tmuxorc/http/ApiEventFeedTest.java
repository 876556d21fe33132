package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.journal.JournalEntry;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The per-client event feed: backlog then live, each once, and no subscription outliving its stream. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS) // a hang guard only
class ApiEventFeedTest {

  private final ActorTestKit testKit = ActorTestKit.create();
  private InMemoryBackend backend;
  private CountingObserver observer;
  private EventFeed feed;

  @BeforeEach
  void newFeed() {
    backend = new InMemoryBackend(testKit.system());
    observer = new CountingObserver();
    HttpSettings settings = HttpSettings.from(ConfigFactory.parseMap(Map.of("tmux-orc.http.sse.resume-limit", 5,
        "tmux-orc.http.backend-timeout", "300ms")).withFallback(ConfigFactory.load()));
    feed = new EventFeed(testKit.system(), backend, settings, observer);
  }

  @AfterAll
  void shutDown() {
    testKit.shutdownTestKit();
  }

  private static List<Long> seqs(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::seq).toList();
  }

  private static Source<JournalEntry, NotUsed> entries(Source<List<EventFanout.Framed>, NotUsed> batches) {
    return batches.mapConcat(batch -> batch.stream().map(EventFanout.Framed::entry).toList());
  }

  private void awaitNoSubscriber() throws InterruptedException {
    while (feed.subscribers() != 0) {
      Thread.sleep(10);
    }
  }

  @Test
  void backlogThenLiveThenUnsubscribedWhenTheClientGoes() throws Exception {
    backend.append("StateChanged", "%3");
    backend.append("CycleReport", null);
    Source<JournalEntry, NotUsed> source = entries(feed.after(OptionalLong.of(1), entry -> true)
        .toCompletableFuture().join());
    assertEquals(1, feed.subscribers());
    // Published after the backlog was read, but before the stream runs: it waits in the client's buffer.
    backend.append("StateChanged", "%3");
    CompletionStage<List<JournalEntry>> received = source.take(3).runWith(Sink.seq(), testKit.system());
    backend.append("HealthChanged", "%3");
    assertEquals(List.of(2L, 3L, 4L), seqs(received.toCompletableFuture().join()));
    // take(3) cancelled the stream, as a client disconnecting does.
    awaitNoSubscriber();
    assertEquals(1, observer.connected.get());
    assertEquals(1, observer.disconnected.get());
  }

  @Test
  void aFullPageEndsTheStreamAndLeavesNoSubscription() throws Exception {
    for (int i = 0; i < 7; i++) {
      backend.append("CycleReport", null);
    }
    List<JournalEntry> page = entries(feed.after(OptionalLong.of(0), entry -> true).toCompletableFuture().join())
        .runWith(Sink.seq(), testKit.system()).toCompletableFuture().join();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(page));
    awaitNoSubscriber();
  }

  @Test
  void aJournalThatCannotBeReadLeavesNoSubscription() throws Exception {
    backend.failing = true;
    assertThrows(CompletionException.class,
        () -> feed.after(OptionalLong.of(0), entry -> true).toCompletableFuture().join());
    assertEquals(0, feed.subscribers());
    backend.failing = false;
    backend.hanging = true;
    assertThrows(CompletionException.class,
        () -> feed.after(OptionalLong.of(0), entry -> true).toCompletableFuture().join());
    awaitNoSubscriber();
  }
}
