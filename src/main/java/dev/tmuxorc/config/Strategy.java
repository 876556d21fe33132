package dev.tmuxorc.config;

import java.util.Locale;

/** How the monitor learns what changed on screen. */
public enum Strategy {
  /**
   * Captures only the panes tmux reports as changed (a format subscription evaluated once a second), with a
   * full sweep every {@code check-interval} as a safety net.
   */
  EVENT,
  /** Periodic full sweep; batches of captures run in parallel through the pool. */
  CONCURRENT,
  /** Periodic full sweep, one command at a time (the original tool's "sync" mode). */
  POLLING;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Strategy parse(String value) {
    for (Strategy strategy : values()) {
      if (strategy.wireName().equalsIgnoreCase(value.trim())) {
        return strategy;
      }
    }
    throw new IllegalArgumentException("unknown strategy '" + value + "' (expected one of: event, concurrent, polling)");
  }
}
