package dev.tmuxorc.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PaneDigestsTest {

  @Test
  void parsesEntriesAndDeadFlags() {
    PaneDigests digests = PaneDigests.parse("%1=1700000000.12.5.2.0;%2=1700000001.0.0.0.1;");
    assertEquals("1700000000.12.5.2.0", digests.digests().get("%1"));
    assertEquals(Set.of("%2"), digests.dead());
  }

  @Test
  void aChangedDigestIsAChangeButNotStructural() {
    PaneDigests before = PaneDigests.parse("%1=100.0.5.2.0;%2=100.0.5.2.0;");
    PaneDigests.Diff diff = PaneDigests.parse("%1=101.0.5.2.0;%2=100.0.5.2.0;").since(before);
    assertEquals(Set.of("%1"), diff.changed());
    assertFalse(diff.structural());
  }

  @Test
  void panesComingGoingOrDyingAreStructural() {
    PaneDigests before = PaneDigests.parse("%1=100.0.5.2.0;");
    assertTrue(PaneDigests.parse("%1=100.0.5.2.0;%7=100.0.0.0.0;").since(before).structural());
    assertTrue(PaneDigests.parse("").since(before).structural());
    PaneDigests.Diff died = PaneDigests.parse("%1=100.0.5.2.1;").since(before);
    assertTrue(died.structural());
    assertEquals(Set.of("%1"), died.changed());
  }

  @Test
  void nothingChangedIsAnEmptyDiff() {
    PaneDigests before = PaneDigests.parse("%1=100.0.5.2.0;");
    PaneDigests.Diff diff = PaneDigests.parse("%1=100.0.5.2.0;").since(before);
    assertTrue(diff.changed().isEmpty());
    assertFalse(diff.structural());
  }

  @Test
  void garbageEntriesAreSkipped() {
    assertEquals(Set.of("%1"), PaneDigests.parse("junk;=x;%1=1.0.0.0.0;;").digests().keySet());
  }
}
