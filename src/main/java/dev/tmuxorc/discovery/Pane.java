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
}
