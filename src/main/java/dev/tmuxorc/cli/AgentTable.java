package dev.tmuxorc.cli;

import dev.tmuxorc.agent.AgentView;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Renders agents (as the API and {@code scan --json} show them) as an aligned plain-text table. */
final class AgentTable {

  private static final String[] HEADER = {"TARGET", "PANE", "ROLE", "KIND", "STATE", "HEALTH", "FOR", "WINDOW",
      "EVIDENCE"};

  private final List<AgentView> agents;
  private final Instant now = Instant.now();

  AgentTable(List<AgentView> agents) {
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
    for (AgentView a : agents) {
      rows.add(new String[] {printable(a.target(), 40), a.paneId(), a.role(), a.kind(), a.state(), a.health(),
          age(a.since()), printable(a.windowName(), 24),
          a.evidence() == null || a.evidence().isEmpty() ? "" : printable(a.evidence().get(0).text(), 50)});
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

  private String age(String since) {
    if (since == null) {
      return "";
    }
    Duration d = Duration.between(Instant.parse(since), now);
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
