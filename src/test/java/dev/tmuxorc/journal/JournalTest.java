package dev.tmuxorc.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.cache.Caches;
import dev.tmuxorc.fleet.FleetSummary;
import dev.tmuxorc.fleet.FleetView;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.monitor.CycleReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Journal actor on real SQLite files: what is published on the event stream is numbered, published again as
 * entries and written; reads come from memory or the file; a full disk or a path that cannot be opened costs a
 * WARN and the failed batches, never the actor, and writing resumes.
 */
@ExtendWith(LogCapturingExtension.class)
class JournalTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  private TestProbe<JournalEntry> published;
  private final List<ActorRef<Journal.Command>> journals = new ArrayList<>();

  @BeforeEach
  void subscribe() {
    published = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(JournalEntry.class, published.getRef()));
  }

  @AfterEach
  void stopJournals() {
    journals.forEach(testKit::stop);
    testKit.system().eventStream().tell(new EventStream.Unsubscribe<>(published.getRef()));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static JournalSettings settings(String overrides) {
    return JournalSettings.from(ConfigFactory.parseString("tmux-orc.journal { flush-interval = 20ms\n"
        + "retry-backoff { min = 50ms, max = 200ms }\n" + overrides + "\n}").withFallback(ConfigFactory.load()));
  }

  /** Spawns a journal and waits until it is subscribed (its GetStats answered after its setup). */
  private ActorRef<Journal.Command> start(JournalSettings settings, Path file, JournalCounters counters,
      JournalWriter.Opener opener) {
    ActorRef<Journal.Command> journal = testKit.spawn(Journal.create(settings, file, counters, opener));
    journals.add(journal);
    stats(journal);
    return journal;
  }

  private ActorRef<Journal.Command> start(JournalSettings settings, Path file, JournalCounters counters) {
    return start(settings, file, counters, JournalStore::open);
  }

  private static JournalStats stats(ActorRef<Journal.Command> journal) {
    TestProbe<JournalStats> probe = testKit.createTestProbe();
    journal.tell(new Journal.GetStats(probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static List<JournalEntry> read(ActorRef<Journal.Command> journal, long afterSeq, int limit) {
    TestProbe<List<JournalEntry>> probe = testKit.createTestProbe();
    journal.tell(new Journal.Read(afterSeq, limit, probe.getRef()));
    return probe.receiveMessage(WAIT);
  }

  private static List<JournalEntry> onDisk(Path file) throws Exception {
    try (JournalStore store = JournalStore.openReadOnly(file)) {
      return store.query(JournalStore.Filter.after(0, 0));
    }
  }

  private static List<Long> seqs(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::seq).toList();
  }

  static AgentPane agent(String paneId) {
    Pane pane = new Pane(new PaneId(paneId), "$1", "work", 1, "claude-1", 0, 4242, "claude", false, OptionalInt.empty(),
        Instant.parse("2026-11-30T08:00:00Z"), "");
    return new AgentPane(pane, Role.AGENT, AgentKind.CLAUDE);
  }

  static AgentEvent stateChanged(String paneId, Instant at) {
    return new AgentEvent.StateChanged(agent(paneId), AgentState.WORKING, AgentState.IDLE,
        List.of(new Evidence("idle", "prompt", 12, "> ")), Optional.empty(), at);
  }

  static CycleReport report(Instant at) {
    return new CycleReport(at, "event", 3, 10, 8.7, 14.3, 14.3, 14.3, 4.9, 8.7, 30, 0, 12);
  }

  private static void publish(Object event) {
    testKit.system().eventStream().tell(new EventStream.Publish<>(event));
  }

  private static void awaitWritten(JournalCounters counters, long written) {
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(written, counters.written());
      return null;
    });
  }

  @Test
  void everyEventIsNumberedPublishedAsAnEntryAndWritten() throws Exception {
    Path file = dir.resolve("journal.db");
    JournalCounters counters = new JournalCounters();
    ActorRef<Journal.Command> journal = start(settings(""), file, counters);
    Instant at = Instant.parse("2026-11-30T09:00:00Z");
    List<Object> events = List.of(
        new AgentEvent.AgentDiscovered(agent("%3"), at),
        stateChanged("%3", at.plusSeconds(1)),
        new AgentEvent.HealthChanged(agent("%4"), Health.HEALTHY, Health.WARNING, at.plusSeconds(2)),
        report(at.plusSeconds(3)),
        new AgentEvent.AgentGone(agent("%3"), at.plusSeconds(4)));
    events.forEach(JournalTest::publish);
    List<JournalEntry> entries = new ArrayList<>(published.receiveSeveralMessages(5, WAIT));
    journal.tell(new Journal.Record("ActionTaken", "%3", at.plusSeconds(5), Map.of("action", "nudge", "type", "x")));
    entries.add(published.receiveMessage(WAIT));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), seqs(entries));
    for (int i = 0; i < events.size(); i++) {
      JournalEntry entry = entries.get(i);
      assertEquals(Json.type(events.get(i)), entry.type());
      assertEquals(at.plusSeconds(i), entry.at());
      assertEquals(Json.MAPPER.writeValueAsString(Json.of(events.get(i))), entry.json());
    }
    assertEquals("%3", entries.get(1).paneId());
    assertEquals(null, entries.get(3).paneId(), "a cycle report concerns no pane");
    var action = Json.MAPPER.readTree(entries.get(5).json());
    assertEquals("ActionTaken", action.get("type").asText(), "the entry's own type wins over the payload's");
    assertEquals("nudge", action.get("action").asText());
    assertEquals("%3", action.get("paneId").asText());

    awaitWritten(counters, 6);
    assertEquals(entries, onDisk(file));
    JournalStats stats = stats(journal);
    assertTrue(stats.writable());
    assertEquals(6, stats.lastSeq());
    assertEquals(6, stats.entries());
    assertEquals(6, stats.published());
    assertEquals(0, stats.dropped());
    assertEquals(at, stats.oldest());
    assertTrue(stats.sizeBytes() > 0);
    assertEquals(file.toString(), stats.path());
  }

  @Test
  void readsComeFromMemoryAndOlderEntriesFromTheFileAfterARestart() throws Exception {
    Path file = dir.resolve("journal.db");
    // memory holds 5 entries; the first journal never flushes on its own: only its shutdown writes
    JournalSettings settings = settings("memory-entries = 5\nbatch-size = 5\nflush-interval = 1h");
    JournalCounters counters = new JournalCounters();
    ActorRef<Journal.Command> first = start(settings, file, counters);
    Instant at = Instant.parse("2026-11-30T09:00:00Z");
    // Two full batches of 5, each written before the next comes (memory-entries also bounds what waits for
    // the disk), then 11 and 12, which wait for the flush interval.
    for (int i = 0; i < 12; i++) {
      publish(stateChanged("%1", at.plusSeconds(i)));
      if (i == 4 || i == 9) {
        published.receiveSeveralMessages(5, WAIT);
        awaitWritten(counters, i + 1);
      }
    }
    published.receiveSeveralMessages(2, WAIT);

    assertEquals(List.of(10L, 11L, 12L), seqs(read(first, 9, 100)), "from memory, 11 and 12 not written yet");
    assertEquals(List.of(8L, 9L), seqs(read(first, 7, 2)));
    assertEquals(List.of(1L, 2L, 3L), seqs(read(first, 0, 3)), "from the file");
    assertEquals(List.of(6L, 7L, 8L, 9L, 10L, 11L, 12L), seqs(read(first, 5, 100)), "the file, then memory");
    assertEquals(List.of(), read(first, 12, 100));
    assertEquals(List.of(), read(first, 0, 0));

    testKit.stop(first);
    assertEquals(12, onDisk(file).size(), "the shutdown flushed what was pending");

    JournalCounters after = new JournalCounters();
    ActorRef<Journal.Command> second = start(settings, file, after);
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      JournalStats stats = stats(second);
      // numbering resumes memory-entries (5) above the file's last entry: numbers the first journal may have
      // published without storing them are never handed out again
      assertEquals(12 + 5, stats.lastSeq(), "read from the file once it is open");
      assertEquals(12, stats.entries());
      return null;
    });
    assertEquals(seqs(onDisk(file)), seqs(read(second, 0, 100)), "memory is empty: all from the file");
    publish(stateChanged("%1", at.plusSeconds(20)));
    assertEquals(18, published.receiveMessage(WAIT).seq(), "numbering goes on above the file's last seq");
    List<JournalEntry> all = read(second, 0, 100);
    assertEquals(13, all.size());
    assertEquals(18L, all.get(12).seq());
    assertEquals(List.of(12L, 18L), seqs(read(second, 11, 100)));
  }

  /** Opens the file with {@code PRAGMA max_page_count} when the limit is set: a disk that is full. */
  private static JournalWriter.Opener limitedTo(AtomicLong maxPages) {
    return file -> {
      JournalStore store = JournalStore.open(file);
      if (maxPages.get() > 0) {
        store.execute("PRAGMA max_page_count = " + maxPages.get());
      }
      return store;
    };
  }

  private static Journal.Record big(Instant at) {
    return new Journal.Record("ActionTaken", "%1", at, Map.of("output", "x".repeat(20_000)));
  }

  @Test
  void aFullDiskWarnsOnceDropsTheFailedBatchesAndWritingResumesWhenThereIsSpace() throws Exception {
    Path file = dir.resolve("journal.db");
    long pages;
    try (JournalStore store = JournalStore.open(file)) {
      pages = store.sizeBytes() / 4096;
    }
    AtomicLong maxPages = new AtomicLong(pages); // the file may not grow: small entries fit, 20 KB ones do not
    JournalCounters counters = new JournalCounters();
    ActorRef<Journal.Command> journal = start(settings(""), file, counters, limitedTo(maxPages));
    Instant at = Instant.parse("2026-11-30T09:00:00Z");
    publish(stateChanged("%1", at));
    assertEquals(1, published.receiveMessage(WAIT).seq());
    awaitWritten(counters, 1);

    LoggingTestKit.warn("is not writable").withMessageContains("full").withOccurrences(1).withCheckExcess(true)
        .expect(testKit.system(), () -> {
          journal.tell(big(at.plusSeconds(1)));
          assertEquals(2, published.receiveMessage(WAIT).seq(), "published even though it cannot be written");
          testKit.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(1, counters.writeFailures());
            return null;
          });
          journal.tell(big(at.plusSeconds(2)));
          assertEquals(3, published.receiveMessage(WAIT).seq());
          testKit.createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(2, counters.writeFailures(), "the second batch failed too, without a second WARN");
            return null;
          });
          return null;
        });
    JournalStats failing = stats(journal);
    assertFalse(failing.writable());
    assertEquals(2, failing.dropped());
    assertTrue(failing.lastError().contains("full"), failing.lastError());
    assertEquals(List.of(2L, 3L), seqs(read(journal, 1, 10)), "memory still has them");

    LoggingTestKit.info("journal writable again").expect(testKit.system(), () -> {
      maxPages.set(0); // space is back
      journal.tell(big(at.plusSeconds(3)));
      assertEquals(4, published.receiveMessage(WAIT).seq());
      return null;
    });
    awaitWritten(counters, 2);
    assertEquals(List.of(1L, 4L), seqs(onDisk(file)), "the failed batches were dropped, the later one written");
    assertTrue(stats(journal).writable());
  }

  @Test
  void aJournalThatCannotBeOpenedStillPublishesAndOpensOnceItCan() throws Exception {
    Path blocker = Files.writeString(dir.resolve("state"), "a file where the directory should be");
    Path file = blocker.resolve("journal.db");
    JournalCounters counters = new JournalCounters();
    ActorRef<Journal.Command> journal = LoggingTestKit.warn("is not writable")
        .withMessageContains("cannot create the directory")
        .expect(testKit.system(), () -> start(settings(""), file, counters));
    Instant at = Instant.parse("2026-11-30T09:00:00Z");
    publish(stateChanged("%1", at));
    long first = published.receiveMessage(WAIT).seq();
    assertTrue(first > 1_000_000_000_000_000L, "numbered from the clock: the file's last seq is unknown: " + first);
    assertFalse(stats(journal).writable());

    LoggingTestKit.info("journal writable again").expect(testKit.system(), () -> {
      try {
        Files.delete(blocker);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      publish(stateChanged("%1", at.plusSeconds(1)));
      assertEquals(first + 1, published.receiveMessage(WAIT).seq());
      return null;
    });
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertTrue(stats(journal).writable());
      return null;
    });
    List<JournalEntry> written = onDisk(file);
    assertEquals(first + 1, written.get(written.size() - 1).seq());
  }

  @Test
  void aJournalWhoseDirectoryIsDeletedIsRecreatedAndNumberingGoesOn() throws Exception {
    Path base = dir.resolve("base");
    Path file = base.resolve("journal.db");
    JournalCounters counters = new JournalCounters();
    start(settings(""), file, counters);
    Instant at = Instant.parse("2026-11-30T09:00:00Z");
    publish(stateChanged("%1", at));
    assertEquals(1, published.receiveMessage(WAIT).seq());
    awaitWritten(counters, 1);

    try (var files = Files.walk(base)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    // SQLite would go on writing to the deleted inode without a word: the writer notices and starts a new file.
    LoggingTestKit.warn("was deleted or replaced while open").expect(testKit.system(), () -> {
      publish(stateChanged("%1", at.plusSeconds(1)));
      return published.receiveMessage(WAIT);
    });
    awaitWritten(counters, 2);
    assertEquals(List.of(2L), seqs(onDisk(file)), "a new file, numbering goes on");
    assertEquals(1, counters.entries());
    assertEquals(0, counters.dropped());
  }

  @Test
  void retentionRunsWhenTheJournalOpens() throws Exception {
    Path file = dir.resolve("journal.db");
    Instant now = Instant.now();
    try (JournalStore store = JournalStore.open(file)) {
      store.append(JournalStoreTest.entries(1, 10, now.minus(Duration.ofDays(30))));
      store.append(JournalStoreTest.entries(11, 5, now.minus(Duration.ofHours(1))));
    }
    JournalCounters counters = new JournalCounters();
    LoggingTestKit.info("journal retention deleted 10 entries").expect(testKit.system(),
        () -> start(settings("retention.max-age = 14d"), file, counters));
    assertEquals(List.of(11L, 12L, 13L, 14L, 15L), seqs(onDisk(file)));
    testKit.createTestProbe().awaitAssert(WAIT, () -> {
      assertEquals(5, counters.entries());
      return null;
    });
  }

  @Test
  void aFleetSampleIsJournalledAtEachCycleReportWithEveryStateAndHealthCounted() throws Exception {
    // A kit of its own: its FleetView answers every report, which no other test's journal may see.
    ActorTestKit kit = ActorTestKit.create("fleet-sample");
    try {
      Path file = dir.resolve("journal.db");
      TestProbe<JournalEntry> entries = kit.createTestProbe();
      kit.system().eventStream().tell(new EventStream.Subscribe<>(JournalEntry.class, entries.getRef()));
      JournalCounters counters = new JournalCounters();
      ActorRef<Journal.Command> journal = kit.spawn(Journal.create(settings(""), file, counters));
      TestProbe<JournalStats> stats = kit.createTestProbe();
      journal.tell(new Journal.GetStats(stats.getRef()));
      stats.receiveMessage(WAIT); // subscribed: its setup has run
      ActorRef<FleetView.Command> fleet = kit.spawn(FleetView.create(
          new Caches(TestSettings.settings("unused")), Clock.systemUTC()));
      TestProbe<FleetSummary> summary = kit.createTestProbe();
      CycleReport first = report(Instant.parse("2026-11-30T08:59:00Z"));
      summary.awaitAssert(WAIT, () -> {
        // its CycleReport subscription follows its AgentEvent one: a report seen proves both in place
        kit.system().eventStream().tell(new EventStream.Publish<>(first));
        fleet.tell(new FleetView.GetSummary(summary.getRef()));
        assertEquals(first, summary.receiveMessage(WAIT).lastReport());
        return null;
      });

      Instant at = Instant.parse("2026-11-30T09:00:00Z");
      List<AgentPane> agents = List.of(agent("%1"), agent("%2"), agent("%3"), agent("%4"), agent("%5"), agent("%6"),
          agent("%7"));
      fleet.tell(new FleetView.Listed(new Monitor.Listing(agents, agents.stream().map(AgentPane::pane).toList(),
          at)));
      List<AgentState> states = List.of(AgentState.WAITING, AgentState.UNSUBMITTED, AgentState.ERROR,
          AgentState.CRASHED, AgentState.RATE_LIMITED, AgentState.WORKING); // and %7 stays unknown
      for (int i = 0; i < states.size(); i++) {
        kit.system().eventStream().tell(new EventStream.Publish<>(new AgentEvent.StateChanged(agents.get(i),
            AgentState.UNKNOWN, states.get(i), List.of(), Optional.empty(), at)));
      }
      kit.system().eventStream().tell(new EventStream.Publish<>(
          new AgentEvent.HealthChanged(agents.get(5), Health.HEALTHY, Health.WARNING, at)));
      summary.awaitAssert(WAIT, () -> {
        fleet.tell(new FleetView.GetSummary(summary.getRef()));
        FleetSummary s = summary.receiveMessage(WAIT);
        assertEquals(1, s.byState().get("working"));
        assertEquals(1, s.byHealth().get("warning"));
        return null;
      });

      Instant reportAt = at.plusSeconds(10);
      kit.system().eventStream().tell(new EventStream.Publish<>(report(reportAt)));
      JournalEntry sample = entries.fishForMessage(WAIT, e -> e.type().equals("FleetSample")
          && e.at().equals(reportAt) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
      assertEquals(null, sample.paneId(), "a sample concerns the fleet, no pane");
      var json = Json.MAPPER.readTree(sample.json());
      assertEquals(List.of("type", "at", "atMillis", "agents", "byState", "byHealth", "attention"),
          iterable(json.fieldNames()));
      assertEquals("FleetSample", json.path("type").asText());
      assertEquals(reportAt.toString(), json.path("at").asText());
      assertEquals(reportAt.toEpochMilli(), json.path("atMillis").asLong());
      assertEquals(7, json.path("agents").asInt());
      assertEquals(List.of("starting", "working", "idle", "waiting", "unsubmitted", "rate_limited", "error",
          "crashed", "unknown"), iterable(json.path("byState").fieldNames()), "every state, in order");
      assertEquals("{\"starting\":0,\"working\":1,\"idle\":0,\"waiting\":1,\"unsubmitted\":1,"
          + "\"rate_limited\":1,\"error\":1,\"crashed\":1,\"unknown\":1}", json.path("byState").toString());
      assertEquals("{\"healthy\":6,\"warning\":1,\"critical\":0,\"unresponsive\":0}",
          json.path("byHealth").toString());
      assertEquals(5, json.path("attention").asInt(), "waiting, unsubmitted, error, crashed, rate_limited");

      testKit.createTestProbe().awaitAssert(WAIT, () -> {
        assertTrue(onDisk(file).contains(sample), "written to the file");
        return null;
      });
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> all = new ArrayList<>();
    names.forEachRemaining(all::add);
    return all;
  }
}
