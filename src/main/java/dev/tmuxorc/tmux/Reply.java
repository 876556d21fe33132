package dev.tmuxorc.tmux;

import java.util.List;

/** The answer to one tmux command: its output lines, and whether tmux reported an error. */
public record Reply(boolean ok, List<String> lines) {

  public Reply {
    lines = List.copyOf(lines);
  }

  public static Reply ok(List<String> lines) {
    return new Reply(true, lines);
  }

  public static Reply error(String message) {
    return new Reply(false, List.of(message));
  }

  /** The output joined with newlines: a captured screen, or the error message. */
  public String text() {
    return String.join("\n", lines);
  }
}
