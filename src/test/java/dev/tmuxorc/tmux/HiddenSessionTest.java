package dev.tmuxorc.tmux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class HiddenSessionTest {

  @Test
  void theNameCarriesTheOwnersPid() {
    HiddenSession mine = HiddenSession.ofThisProcess("_tmux-orc");
    assertEquals("_tmux-orc-" + ProcessHandle.current().pid(), mine.name());
    assertEquals(OptionalLong.of(ProcessHandle.current().pid()), HiddenSession.ownerOf(mine.name(), "_tmux-orc"));
  }

  @Test
  void onlySessionsOfProcessesThatAreGoneAreOrphans() {
    assertFalse(HiddenSession.isOrphan(HiddenSession.ofThisProcess("_tmux-orc").name(), "_tmux-orc"), "ours");
    assertFalse(HiddenSession.isOrphan("_tmux-orc-1", "_tmux-orc"), "pid 1 runs");
    assertTrue(HiddenSession.isOrphan("_tmux-orc-" + Integer.MAX_VALUE, "_tmux-orc"));
    assertFalse(HiddenSession.isOrphan("work", "_tmux-orc"));
    assertFalse(HiddenSession.isOrphan("_tmux-orc-abc", "_tmux-orc"));
  }

  @Test
  void killTargetsTheExactName() {
    assertEquals(List.of("kill-session", "-t", "=_tmux-orc-42"), new HiddenSession("_tmux-orc", 42).kill().args());
  }
}
