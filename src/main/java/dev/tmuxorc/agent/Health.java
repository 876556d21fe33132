package dev.tmuxorc.agent;

import java.util.Locale;

/** Health of the watching (not of the agent's work): can its pane be captured, and is it in a sound state. */
public enum Health {
  HEALTHY,
  /** At least two consecutive failed checks. */
  WARNING,
  /** At least {@code max-failures} consecutive failed checks. */
  CRITICAL,
  /** The last {@code max-failures} captures were impossible. */
  UNRESPONSIVE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
