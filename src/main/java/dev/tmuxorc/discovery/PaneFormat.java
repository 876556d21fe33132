package dev.tmuxorc.discovery;

import dev.tmuxorc.tmux.TmuxCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The one {@code list-panes -a -F} call discovery makes, and the parser of its lines.
 *
 * <p>Fields are separated by ASCII unit separator (0x1f), which tmux passes through untouched and which
 * names practically never contain; a line with the wrong field count is rejected rather than misread.
 */
public final class PaneFormat {

  static final char SEPARATOR = '\u001f';
  // Every field costs tmux 1-3 us per pane on every full cycle (pane_current_command about 8): ask for what is used.
  private static final String[] FIELDS = {
      "pane_id", "session_id", "window_index", "pane_index", "pane_pid", "pane_dead", "pane_dead_status",
      "window_activity", "session_name", "window_name", "pane_current_command"};

  private PaneFormat() {
  }

  /** The list-panes command; the role option is read with the pane → window → session inheritance of formats. */
  public static TmuxCommand listPanes(String roleOption) {
    StringBuilder format = new StringBuilder();
    for (String field : FIELDS) {
      format.append("#{").append(field).append('}').append(SEPARATOR);
    }
    format.append("#{").append(roleOption).append('}');
    return TmuxCommand.of("list-panes", "-a", "-F", format.toString());
  }

  /** Parses the reply lines; malformed lines are reported to {@code rejected} and skipped. */
  public static List<Pane> parse(List<String> lines, List<String> rejected) {
    List<Pane> panes = new ArrayList<>(lines.size());
    for (String line : lines) {
      if (line.isEmpty()) {
        continue;
      }
      try {
        panes.add(parseLine(line));
      } catch (IllegalArgumentException e) {
        rejected.add(line);
      }
    }
    return panes;
  }

  static Pane parseLine(String line) {
    String[] f = line.split(String.valueOf(SEPARATOR), -1);
    if (f.length != FIELDS.length + 1) {
      throw new IllegalArgumentException("expected " + (FIELDS.length + 1) + " fields, got " + f.length);
    }
    return new Pane(
        new PaneId(f[0]), f[1], f[8],
        Integer.parseInt(f[2]),
        f[9],
        Integer.parseInt(f[3]),
        f[4].isEmpty() ? 0 : Integer.parseInt(f[4]),
        f[10],
        "1".equals(f[5]),
        f[6].isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(f[6])),
        f[7].isEmpty() ? Instant.EPOCH : Instant.ofEpochSecond(Long.parseLong(f[7])),
        f[11]);
  }
}
