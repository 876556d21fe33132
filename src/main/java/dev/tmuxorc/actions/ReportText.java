package dev.tmuxorc.actions;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of one PM report: a first line with the report's number (how a delivery cut off mid-way is recognised
 * on the PM's screen) and one line per entry; beyond {@link #MAX_LINES} entries the rest is summarised in one line,
 * never cut mid-line.
 */
final class ReportText {

  static final int MAX_LINES = 12;
  /** A line longer than this (a window name of any length) is shortened: the report must fit a tmux command. */
  static final int MAX_LINE = 300;

  private ReportText() {
  }

  /** The marker the report's first line starts with. */
  static String marker(long reportId) {
    return "[tmux-orc report #" + reportId + "]";
  }

  static String compose(long reportId, String session, List<OutboxStore.Entry> entries) {
    List<String> lines = new ArrayList<>();
    lines.add(marker(reportId) + " session " + session + ": " + entries.size() + " agent(s) need you");
    int shown = entries.size() <= MAX_LINES ? entries.size() : MAX_LINES - 1;
    for (int i = 0; i < shown; i++) {
      OutboxStore.Entry entry = entries.get(i);
      String line = entry.line().length() <= MAX_LINE ? entry.line() : entry.line().substring(0, MAX_LINE - 1) + "…";
      lines.add("- " + line + (entry.count() > 1 ? " (" + entry.count() + "x)" : ""));
    }
    if (shown < entries.size()) {
      lines.add("- and " + (entries.size() - shown) + " more: run `tmux-orc status` to see them");
    }
    return String.join("\n", lines);
  }
}
