package dev.tmuxorc.tmux;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one tmux command: its output (lines joined with newlines, no final newline), and whether
 * tmux reported an error, in which case the text is the error message.
 */
public record Reply(boolean ok, String text) {

  public Reply {
    Objects.requireNonNull(text, "text");
  }

  public static Reply ok(String text) {
    return new Reply(true, text);
  }

  public static Reply error(String message) {
    return new Reply(false, message);
  }

  /** The output's lines; none for empty output. */
  public List<String> lines() {
    return text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
  }
}
