package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import dev.tmuxorc.journal.JournalStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox in a real SQLite file beside the journal: merged, never dropped, delivered once across reopenings. */
class OutboxStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aSecondEntryForTheSameAgentAndReasonIsMergedNotDropped() throws Exception {
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      long first = outbox.add("work", "%3", "idle", "d1", "%3 w:1.0 idle", T0);
      long again = outbox.add("work", "%3", "idle", "d2", "%3 w:1.0 idle again", T0.plusSeconds(5));
      long other = outbox.add("work", "%3", "crashed", "d3", "%3 w:1.0 crashed", T0.plusSeconds(6));
      assertEquals(first, again);
      List<OutboxStore.Entry> pending = outbox.pending("work");
      assertEquals(List.of(first, other), pending.stream().map(OutboxStore.Entry::id).toList());
      assertEquals("%3 w:1.0 idle again", pending.get(0).line());
      assertEquals(2, pending.get(0).count());
      assertEquals(List.of("work"), outbox.sessionsWithPending());
    }
  }

  @Test
  void aDeliveredReportTakesItsEntriesOutOfTheOutboxAndDatesTheirCooldown() throws Exception {
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      outbox.add("work", "%3", "idle", "d1", "%3 idle", T0);
      OutboxStore.Report report = outbox.begin("work", "%0", outbox.pending("work"), id -> "report #" + id, T0);
      assertEquals("report #" + report.id(), report.text());
      assertEquals(List.of(), outbox.pending("work"), "in flight, not pending");
      outbox.add("work", "%3", "idle", "d9", "%3 idle later", T0.plusSeconds(1)); // not merged into the in-flight one
      outbox.delivered(report.id(), T0.plusSeconds(2));
      assertEquals(Optional.of(T0.plusSeconds(2)), outbox.lastDelivered("%3", "idle", "d1"));
      assertEquals(List.of("%3 idle later"), outbox.pending("work").stream().map(OutboxStore.Entry::line).toList());
      assertTrue(outbox.inFlight().isEmpty());
    }
  }

  @Test
  void theCountsAreReadBesideTheWriterAndAbsentWithoutOutboxTables() throws Exception {
    Path file = dir.resolve("journal.db");
    assertEquals(Optional.empty(), OutboxStore.counts(file), "no file");
    try (JournalStore journal = JournalStore.open(file)) {
      assertEquals(Optional.empty(), OutboxStore.counts(file), "a journal without an outbox");
    }
    try (OutboxStore outbox = OutboxStore.open(file)) {
      outbox.add("work", "%3", "idle", "d1", "%3 idle", T0);
      outbox.add("work", "%4", "crashed", "d2", "%4 crashed", T0);
      OutboxStore.Report report = outbox.begin("work", "%0", List.of(outbox.pending("work").get(0)), id -> "r", T0);
      assertEquals(Optional.of(new OutboxStore.Counts(1, 1, 0, List.of("work"))), OutboxStore.counts(file));
      outbox.delivered(report.id(), T0);
      assertEquals(Optional.of(new OutboxStore.Counts(1, 0, 1, List.of("work"))), OutboxStore.counts(file));
    }
  }

  @Test
  void entriesBackFromAReturnedReportMergeWithNewerOnesAndWhatEndedLongAgoIsPruned() throws Exception {
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      outbox.add("work", "%3", "idle", "d1", "%3 idle", T0);
      OutboxStore.Report report = outbox.begin("work", "%0", outbox.pending("work"), id -> "r", T0);
      outbox.add("work", "%3", "idle", "d2", "%3 idle again", T0.plusSeconds(1));
      outbox.returned(report.id(), "busy", T0.plusSeconds(2));
      List<OutboxStore.Entry> pending = outbox.pending("work");
      assertEquals(1, pending.size(), pending.toString());
      assertEquals("%3 idle again", pending.get(0).line());
      assertEquals(2, pending.get(0).count());

      OutboxStore.Report sent = outbox.begin("work", "%0", pending, id -> "r2", T0.plusSeconds(3));
      outbox.delivered(sent.id(), T0.plusSeconds(4));
      outbox.add("work", "%4", "crashed", "d3", "%4 crashed", T0.plusSeconds(5));
      assertTrue(outbox.prune(T0.plusSeconds(10)) >= 2, "the delivered entry and the ended reports");
      assertEquals(Optional.empty(), outbox.lastDelivered("%3", "idle", "d2"));
      assertEquals(1, outbox.pending("work").size(), "what waits is never pruned");
    }
  }

  @Test
  void aReturnedReportPutsItsEntriesBack() throws Exception {
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      outbox.add("work", "%3", "idle", "d1", "%3 idle", T0);
      OutboxStore.Report report = outbox.begin("work", "%0", outbox.pending("work"), id -> "r" + id, T0);
      outbox.returned(report.id(), "the PM is busy", T0.plusSeconds(1));
      assertEquals(1, outbox.pending("work").size());
      assertEquals(Optional.empty(), outbox.lastDelivered("%3", "idle", "d1"));
    }
  }

  @Test
  void aReportCutOffMidDeliveryIsStillInFlightWhenTheFileIsOpenedAgain() throws Exception {
    Path file = dir.resolve("journal.db");
    long id;
    try (OutboxStore outbox = OutboxStore.open(file)) {
      outbox.add("work", "%3", "crashed", "d1", "%3 crashed", T0);
      id = outbox.begin("work", "%0", outbox.pending("work"), n -> "report " + n, T0).id();
    } // as a SIGKILL would leave it: nothing after begin
    try (OutboxStore outbox = OutboxStore.open(file); JournalStore journal = JournalStore.open(file)) {
      assertEquals(List.of(id), outbox.inFlight().stream().map(OutboxStore.Report::id).toList());
      assertEquals("%3 crashed", outbox.entriesOf(id).get(0).line());
      assertEquals(0, journal.lastSeq(), "the journal's own tables live beside the outbox");
    }
  }
}
