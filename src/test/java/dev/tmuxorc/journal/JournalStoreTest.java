package dev.tmuxorc.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal file itself: schema, appends, filters, sequence numbers across reopening, retention, status. */
class JournalStoreTest {

  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

  @TempDir
  Path dir;

  static JournalEntry entry(long seq, Instant at, String type, String paneId) {
    return new JournalEntry(seq, at, type, paneId, "{\"type\":\"" + type + "\",\"n\":" + seq + "}");
  }

  /** {@code count} entries from seq {@code first}, one a minute from {@code start}, alternating panes and types. */
  static List<JournalEntry> entries(long first, int count, Instant start) {
    List<JournalEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long seq = first + i;
      entries.add(i % 3 == 2 ? entry(seq, start.plusSeconds(60L * i), "CycleReport", null)
          : entry(seq, start.plusSeconds(60L * i), i % 3 == 0 ? "StateChanged" : "HealthChanged",
              i % 2 == 0 ? "%1" : "%2"));
    }
    return entries;
  }

  private static List<Long> seqs(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::seq).toList();
  }

  @Test
  void createsTheDirectoryAndTheSchemaInWalMode() throws Exception {
    Path file = dir.resolve("a/b/journal.db");
    try (JournalStore store = JournalStore.open(file)) {
      assertEquals(0, store.lastSeq());
      assertEquals(new JournalStore.Status(0, 0, Optional.empty(), store.sizeBytes()), store.status());
    }
    assertTrue(Files.isRegularFile(file));
    try (JournalStore store = JournalStore.openReadOnly(file)) {
      assertTrue(store.query(JournalStore.Filter.after(0, 10)).isEmpty());
    }
    try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + file);
        var rows = connection.createStatement().executeQuery("PRAGMA journal_mode")) {
      rows.next();
      assertEquals("wal", rows.getString(1));
    }
  }

  @Test
  void appendedEntriesComeBackInOrderAndFiltered() throws Exception {
    try (JournalStore store = JournalStore.open(dir.resolve("journal.db"))) {
      store.append(entries(1, 30, T0));
      List<JournalEntry> all = store.query(JournalStore.Filter.after(0, 0));
      assertEquals(30, all.size());
      assertEquals(entries(1, 30, T0), all);

      assertEquals(List.of(11L, 12L, 13L), seqs(store.query(JournalStore.Filter.after(10, 3))));
      assertEquals(List.of(28L, 29L, 30L), seqs(store.query(JournalStore.Filter.latest(3))));
      assertEquals(List.of(5L, 6L), seqs(store.query(JournalStore.Filter.after(4, 0).before(7))));
      assertEquals(List.of(26L, 27L, 28L, 29L, 30L),
          seqs(store.query(JournalStore.Filter.after(0, 0).since(T0.plus(Duration.ofMinutes(25))))));

      List<JournalEntry> reports = store.query(JournalStore.Filter.after(0, 0).types(Set.of("CycleReport")));
      assertEquals(10, reports.size());
      assertTrue(reports.stream().allMatch(e -> e.paneId() == null));

      List<JournalEntry> pane1States = store.query(JournalStore.Filter.after(0, 0).panes(Set.of("%1"))
          .types(Set.of("StateChanged", "HealthChanged")));
      assertFalse(pane1States.isEmpty());
      assertTrue(pane1States.stream().allMatch(e -> e.paneId().equals("%1") && !e.type().equals("CycleReport")));
      assertEquals(List.of("CycleReport", "HealthChanged", "StateChanged"), store.types());
    }
  }

  @Test
  void aBatchIsOneTransactionAllOrNothing() throws Exception {
    try (JournalStore store = JournalStore.open(dir.resolve("journal.db"))) {
      store.append(entries(1, 3, T0));
      // seq 3 already exists: the whole batch fails, seq 4 and 5 included
      assertThrows(SQLException.class, () -> store.append(entries(3, 3, T0)));
      assertEquals(3, store.status().entries());
      store.append(entries(4, 2, T0));
      assertEquals(5, store.lastSeq());
    }
  }

  @Test
  void theLastSeqSurvivesReopening() throws Exception {
    Path file = dir.resolve("journal.db");
    try (JournalStore store = JournalStore.open(file)) {
      store.append(entries(1, 5, T0));
    }
    try (JournalStore store = JournalStore.open(file)) {
      assertEquals(5, store.lastSeq());
      store.append(entries(store.lastSeq() + 1, 5, T0));
    }
    try (JournalStore store = JournalStore.openReadOnly(file)) {
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), seqs(store.query(JournalStore.Filter.after(0, 0))));
      assertEquals(10, store.status().entries());
      assertEquals(Optional.of(T0), store.status().oldest());
    }
  }

  @Test
  void readersSeeCommittedBatchesWhileTheWriterHasTheFileOpen() throws Exception {
    Path file = dir.resolve("journal.db");
    try (JournalStore writer = JournalStore.open(file)) {
      writer.append(entries(1, 2, T0));
      try (JournalStore reader = JournalStore.openReadOnly(file)) {
        assertEquals(2, reader.lastSeq());
        writer.append(entries(3, 2, T0));
        assertEquals(4, reader.lastSeq());
        assertThrows(SQLException.class, () -> reader.append(entries(5, 1, T0)));
      }
    }
  }

  @Test
  void aMissingFileOrANewerSchemaIsRefused() throws Exception {
    SQLException missing = assertThrows(SQLException.class, () -> JournalStore.openReadOnly(dir.resolve("none.db")));
    assertTrue(missing.getMessage().contains("none.db"), missing.getMessage());
    assertFalse(Files.exists(dir.resolve("none.db")));

    Path file = dir.resolve("journal.db");
    try (JournalStore store = JournalStore.open(file)) {
      store.execute("PRAGMA user_version = " + (JournalStore.SCHEMA_VERSION + 1));
    }
    SQLException newer = assertThrows(SQLException.class, () -> JournalStore.open(file));
    assertTrue(newer.getMessage().contains("newer"), newer.getMessage());
  }

  @Test
  void aParentThatIsAFileIsAClearError() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("file"), "x");
    SQLException e = assertThrows(SQLException.class, () -> JournalStore.open(notADirectory.resolve("journal.db")));
    assertTrue(e.getMessage().contains("cannot create the directory"), e.getMessage());
  }

  /** Runs retention chunks until nothing is left to delete, as the actor does. */
  private static int trimAll(JournalStore store, Optional<Instant> olderThan, long maxBytes, int chunk)
      throws SQLException {
    int total = 0;
    for (int deleted; (deleted = store.trim(olderThan, maxBytes, chunk)) > 0; ) {
      total += deleted;
    }
    return total;
  }

  @Test
  void retentionByAgeDeletesTheOldestInChunksAndKeepsTheNewest() throws Exception {
    try (JournalStore store = JournalStore.open(dir.resolve("journal.db"))) {
      store.append(entries(1, 100, T0)); // one a minute: T0 .. T0+99m
      Instant cutoff = T0.plus(Duration.ofMinutes(40));
      assertEquals(7, store.trim(Optional.of(cutoff), 0, 7), "one chunk at a time");
      assertEquals(33, trimAll(store, Optional.of(cutoff), 0, 7));
      JournalStore.Status status = store.status();
      assertEquals(60, status.entries());
      assertEquals(Optional.of(cutoff), status.oldest());
      assertEquals(100, status.lastSeq());
      assertEquals(0, store.trim(Optional.of(cutoff), 0, 7));
    }
  }

  @Test
  void retentionBySizeDeletesTheOldestUntilTheUsedPagesFit() throws Exception {
    try (JournalStore store = JournalStore.open(dir.resolve("journal.db"))) {
      String padding = "x".repeat(1000);
      List<JournalEntry> big = new ArrayList<>();
      for (int i = 1; i <= 2000; i++) {
        big.add(new JournalEntry(i, T0.plusSeconds(i), "StateChanged", "%1", "{\"pad\":\"" + padding + "\"}"));
      }
      store.append(big);
      long before = store.usedBytes();
      assertTrue(before > 2_000_000, "2000 entries of 1 KB: " + before);
      long max = 1_000_000;
      assertTrue(trimAll(store, Optional.empty(), max, 100) > 0);
      assertTrue(store.usedBytes() <= max, store.usedBytes() + " > " + max);
      JournalStore.Status status = store.status();
      assertTrue(status.entries() > 500 && status.entries() < 1000, "kept " + status.entries());
      assertEquals(2000, status.lastSeq(), "the newest are kept");
      List<JournalEntry> left = store.query(JournalStore.Filter.after(0, 0));
      assertEquals(2000 - left.size() + 1, left.get(0).seq(), "what is left is the newest, without holes");
      // freed pages are reused: the file does not grow while new entries fit into them
      long size = store.sizeBytes();
      List<JournalEntry> more = new ArrayList<>();
      for (int i = 2001; i <= 2300; i++) {
        more.add(new JournalEntry(i, T0.plusSeconds(i), "StateChanged", "%1", "{\"pad\":\"" + padding + "\"}"));
      }
      store.append(more);
      assertEquals(size, store.sizeBytes());
      // no limit: nothing deleted
      assertEquals(0, store.trim(Optional.empty(), 0, 100));
    }
  }
}
