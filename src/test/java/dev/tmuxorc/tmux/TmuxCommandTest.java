package dev.tmuxorc.tmux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TmuxCommandTest {

  @Test
  void everyArgumentIsDoubleQuoted() {
    assertEquals("\"capture-pane\" \"-p\" \"-t\" \"%3\"", TmuxCommand.capturePane("%3").toControlLine());
  }

  @Test
  void charactersTmuxWouldInterpretAreEscaped() {
    assertEquals("\"a\\\\b\"", TmuxCommand.quote("a\\b"));
    assertEquals("\"say \\\"hi\\\"\"", TmuxCommand.quote("say \"hi\""));
    assertEquals("\"\\$HOME \\$(id)\"", TmuxCommand.quote("$HOME $(id)"));
    assertEquals("\"\\~root\"", TmuxCommand.quote("~root"));
    assertEquals("\"a\\nb\\rc\\td\"", TmuxCommand.quote("a\nb\rc\td"));
    assertEquals("\"\\001\\033\\177\"", TmuxCommand.quote("\u0001\u001b\u007f"));
  }

  @Test
  void separatorsCommentsAndBracesNeedNoEscapeInsideQuotes() {
    assertEquals("\"a; kill-server # {x} 'y'\"", TmuxCommand.quote("a; kill-server # {x} 'y'"));
  }

  @Test
  void aRenderedLineNeverContainsANewline() {
    String line = TmuxCommand.sendLiteral("%1", "one\ntwo\r\nthree").toControlLine();
    assertFalse(line.contains("\n"));
    assertFalse(line.contains("\r"));
  }

  @Test
  void nulIsDroppedBecauseTmuxCannotCarryIt() {
    assertEquals("\"ab\"", TmuxCommand.quote("a\0b"));
  }

  @Test
  void textStartingWithADashComesAfterEndOfOptions() {
    assertEquals(List.of("send-keys", "-t", "%1", "-l", "--", "-rf"), TmuxCommand.sendLiteral("%1", "-rf").args());
  }

  @Test
  void linesTmuxWouldRejectAsTooLongAreRefused() {
    String big = "x".repeat(TmuxCommand.MAX_LINE_BYTES);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TmuxCommand.sendLiteral("%1", big).toControlLine());
    assertTrue(e.getMessage().contains("send-keys"));
    // multi-byte characters count as bytes, not chars
    assertThrows(IllegalArgumentException.class,
        () -> TmuxCommand.sendLiteral("%1", "日".repeat(TmuxCommand.MAX_LINE_BYTES / 3 + 1)).toControlLine());
  }

  @Test
  void anEmptyCommandIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new TmuxCommand(List.of()));
  }
}
