package dev.tmuxorc.cli;

import dev.tmuxorc.agent.AgentStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Renders agents as an aligned plain-text table. */
final class AgentTable {

  private static final String[] HEADER = {"TARGET", "PANE", "ROLE", "KIND", "STATE", "HEALTH", "FOR", "WINDOW",
      "EVIDENCE"};

  private final List<AgentStatus> agents;
  private final Instant now = Instant.now();

  AgentTable(List<AgentStatus> agents) {
    this.agents = agents;
  }

  void print(PrintWriter out) {
    if (agents.isEmpty()) {
      out.println("no agents found (panes are agents when they run a known agent command, carry the "
          + "@tmux-orc-role option, or sit in a window named like an agent; see `tmux-orc scan --help`)");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (AgentStatus s : agents) {
      var pane = s.agent().pane();
      rows.add(new String[] {pane.target(), pane.paneId().value(), s.agent().role().wireName(), s.agent().kind().wireName(),
          s.state().wireName(), s.health().wireName(), age(s.since()), printable(pane.windowName(), 24),
          s.evidence().isEmpty() ? "" : printable(s.evidence().get(0).text(), 50)});
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.printf("%d agent(s)%n", agents.size());
  }

  private String age(Instant since) {
    Duration d = Duration.between(since, now);
    if (d.isNegative() || d.toSeconds() < 1) {
      return "now";
    }
    if (d.toMinutes() < 1) {
      return d.toSeconds() + "s";
    }
    if (d.toHours() < 1) {
      return d.toMinutes() + "m";
    }
    return d.toHours() + "h";
  }

  // Window names and screen text are pane-controlled: keep control characters off the user's terminal.
  static String printable(String text, int max) {
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return text.length() > max ? out.append('…').toString() : out.toString();
  }
}
