package dev.tmuxorc.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PaneFormatTest {

  private static String line(String... fields) {
    return String.join(String.valueOf(PaneFormat.SEPARATOR), fields);
  }

  @Test
  void aLineBecomesAPane() {
    Pane pane = PaneFormat.parseLine(line("%3", "$1", "2", "0", "4242", "1", "137", "1700000000",
        "my session", "claude: fix #12; $(x)", "claude", "agent"));
    assertEquals(new PaneId("%3"), pane.paneId());
    assertEquals("my session:2.0", pane.target());
    assertEquals("claude: fix #12; $(x)", pane.windowName());
    assertTrue(pane.dead());
    assertEquals(OptionalInt.of(137), pane.deadStatus());
    assertEquals(Instant.ofEpochSecond(1700000000), pane.windowActivity());
    assertEquals("agent", pane.roleOption());
  }

  @Test
  void aLivePaneHasNoExitStatus() {
    Pane pane = PaneFormat.parseLine(line("%1", "$0", "0", "0", "1", "0", "", "1", "s", "w", "bash", ""));
    assertFalse(pane.dead());
    assertEquals(OptionalInt.empty(), pane.deadStatus());
  }

  @Test
  void malformedLinesAreRejectedNotMisread() {
    List<String> rejected = new ArrayList<>();
    List<Pane> panes = PaneFormat.parse(List.of(
        line("%1", "$0", "0", "0", "1", "0", "", "1", "s", "w", "bash", ""),
        line("%2", "$0", "0", "0", "1", "0", "", "1", "s", "name" + PaneFormat.SEPARATOR + "x", "bash", ""),
        line("%3", "$0", "x", "0", "1", "0", "", "1", "s", "w", "bash", ""),
        ""), rejected);
    assertEquals(1, panes.size());
    assertEquals(2, rejected.size());
  }

  @Test
  void theCommandReadsTheRoleOptionInTheFormat() {
    String format = PaneFormat.listPanes("@tmux-orc-role").args().get(3);
    assertTrue(format.endsWith("#{@tmux-orc-role}"));
    assertTrue(format.startsWith("#{pane_id}"));
  }
}
