package dev.tmuxorc.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentEntriesTest {

  private static List<Long> seqs(List<JournalEntry> entries) {
    return entries.stream().map(JournalEntry::seq).toList();
  }

  @Test
  void keepsTheNewestAndFindsEntriesAfterASeq() {
    RecentEntries recent = new RecentEntries(4);
    assertTrue(recent.isEmpty());
    assertFalse(recent.covers(0), "an empty ring knows nothing");
    for (long seq = 1; seq <= 6; seq++) {
      recent.add(new JournalEntry(seq * 10, Instant.EPOCH, "T", null, "{}"));
    }
    assertEquals(30, recent.firstSeq());
    assertEquals(List.of(30L, 40L, 50L, 60L), seqs(recent.after(0, 100)));
    assertEquals(List.of(50L, 60L), seqs(recent.after(40, 100)));
    assertEquals(List.of(50L), seqs(recent.after(45, 1)));
    assertEquals(List.of(), seqs(recent.after(60, 100)));
    assertEquals(List.of(), seqs(recent.after(0, 0)));
    assertTrue(recent.covers(29), "the next seq after 29 is the first held");
    assertTrue(recent.covers(60));
    assertFalse(recent.covers(28), "29 might exist and is not held");
  }
}
