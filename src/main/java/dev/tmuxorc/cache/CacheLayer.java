package dev.tmuxorc.cache;

import java.util.Locale;

/** The cache layers, as status, metrics and configuration name them. */
public enum CacheLayer {
  /** The last screen of each agent, proven current by tmux's window activity (screen reuse). */
  PANE_CONTENT,
  /** The FleetView's read model: one status per agent. */
  AGENT_STATUS,
  /** Sessions and their windows as the last discovery saw them. */
  SESSION_INFO;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
