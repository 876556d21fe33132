package dev.tmuxorc.tmux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One tmux command as a list of literal arguments, rendered for control mode with every argument quoted.
 *
 * <p>Each argument is written inside double quotes with {@code \ " $ ~} escaped and control characters
 * written as escapes, so no text (pane content, window names, messages with {@code ;}, {@code #},
 * {@code {}}, {@code $(...)}, newlines) can end the argument, start a second command or be expanded by
 * tmux's parser. Whether a command then interprets an argument as a format ({@code display -p},
 * {@code -F}) is that command's semantics: never pass untrusted text where a format is expected.
 */
public record TmuxCommand(List<String> args) {

  /** tmux rejects control-mode lines of about 16 KB ("command too long"); stay below with margin. */
  public static final int MAX_LINE_BYTES = 16_000;

  public TmuxCommand {
    Objects.requireNonNull(args, "args");
    if (args.isEmpty()) {
      throw new IllegalArgumentException("a tmux command needs at least a name");
    }
    args = List.copyOf(args);
  }

  public static TmuxCommand of(String name, String... args) {
    List<String> all = new ArrayList<>(args.length + 1);
    all.add(name);
    all.addAll(List.of(args));
    return new TmuxCommand(all);
  }

  /** Visible screen of one pane, addressed by its id ({@code %3}), never by a name. */
  public static TmuxCommand capturePane(String paneId) {
    return of("capture-pane", "-p", "-t", paneId);
  }

  /** Types {@code text} literally into a pane; {@code --} keeps text starting with '-' from being read as a flag. */
  public static TmuxCommand sendLiteral(String paneId, String text) {
    return of("send-keys", "-t", paneId, "-l", "--", text);
  }

  public String name() {
    return args.get(0);
  }

  /**
   * The command as one control-mode input line (without the newline).
   *
   * @throws IllegalArgumentException if the quoted line would exceed {@link #MAX_LINE_BYTES}
   */
  public String toControlLine() {
    StringBuilder line = new StringBuilder(64);
    line.append(quote(args.get(0)));
    for (int i = 1; i < args.size(); i++) {
      line.append(' ').append(quote(args.get(i)));
    }
    String rendered = line.toString();
    if (rendered.length() > MAX_LINE_BYTES / 4
        && rendered.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
      throw new IllegalArgumentException(
          "tmux command '" + name() + "' is longer than " + MAX_LINE_BYTES + " bytes once quoted; split it");
    }
    return rendered;
  }

  /** Quotes one argument so tmux's parser reads it back as exactly this text. NUL cannot be represented and is dropped. */
  public static String quote(String arg) {
    StringBuilder out = new StringBuilder(arg.length() + 2);
    out.append('"');
    for (int i = 0; i < arg.length(); i++) {
      char c = arg.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '$' -> out.append("\\$"); // environment variable expansion
        case '~' -> out.append("\\~"); // home directory expansion at the start of a token
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\0' -> { }
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append('\\').append(String.format("%03o", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  @Override
  public String toString() {
    return String.join(" ", args);
  }
}
