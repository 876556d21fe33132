package dev.tmuxorc.detect;

import java.util.Locale;

/** The state vocabulary of detection.md, used everywhere: API, CLI, events, metrics, tests. */
public enum AgentState {
  STARTING,
  WORKING,
  IDLE,
  WAITING,
  UNSUBMITTED,
  RATE_LIMITED,
  ERROR,
  CRASHED,
  UNKNOWN;

  /** The lower-case name used on the wire ("rate_limited"). */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static AgentState fromWireName(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  @Override
  public String toString() {
    return wireName();
  }
}
