package dev.tmuxorc.discovery;

import java.time.Instant;
import java.util.OptionalInt;

/** One tmux pane as {@code list-panes} describes it. Names are pane-controlled text, ids are tmux's. */
public record Pane(
    PaneId paneId,
    String sessionId,
    String sessionName,
    int windowIndex,
    String windowName,
    int paneIndex,
    int pid,
    String currentCommand,
    boolean dead,
    OptionalInt deadStatus,
    Instant windowActivity,
    String roleOption) {

  /** The human-readable target "session:window.pane" (display only: commands address panes by id). */
  public String target() {
    return sessionName + ":" + windowIndex + "." + paneIndex;
  }

  /** The target for a log line: session names are anyone's text, and a newline in one would forge a line. */
  public String loggedTarget() {
    return printable(target());
  }

  /** The window name for a log line, likewise. */
  public String loggedWindowName() {
    return printable(windowName);
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return out.toString();
  }
}
