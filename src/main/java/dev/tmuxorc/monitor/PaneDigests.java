package dev.tmuxorc.monitor;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The value of the change-watch subscription, parsed: pane id → "activity.history.cursor_y.cursor_x" and the
 * dead flag. Diffing two of them tells which panes changed, appeared, vanished or died.
 */
record PaneDigests(Map<String, String> digests, Set<String> dead) {

  /** The format tmux evaluates once per second: one "%id=activity.history.cy.cx.dead;" entry per pane. */
  static final String FORMAT = "#{S:#{W:#{P:#{pane_id}=#{window_activity}.#{history_size}.#{cursor_y}"
      + ".#{cursor_x}.#{pane_dead};}}}";

  static final PaneDigests EMPTY = new PaneDigests(Map.of(), Set.of());

  static PaneDigests parse(String value) {
    Map<String, String> digests = new HashMap<>();
    Set<String> dead = new HashSet<>();
    for (String entry : value.split(";")) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String pane = entry.substring(0, eq);
      String digest = entry.substring(eq + 1);
      digests.put(pane, digest);
      if (digest.endsWith(".1")) {
        dead.add(pane);
      }
    }
    return new PaneDigests(Map.copyOf(digests), Set.copyOf(dead));
  }

  /** What changed from {@code before} to this. */
  Diff since(PaneDigests before) {
    Set<String> changed = new HashSet<>();
    boolean structural = !before.digests.keySet().equals(digests.keySet()) || !before.dead.equals(dead);
    for (Map.Entry<String, String> entry : digests.entrySet()) {
      if (!entry.getValue().equals(before.digests.get(entry.getKey()))) {
        changed.add(entry.getKey());
      }
    }
    return new Diff(Set.copyOf(changed), structural);
  }

  /** Panes whose digest changed (or appeared), and whether panes appeared, vanished or died. */
  record Diff(Set<String> changed, boolean structural) { }
}
