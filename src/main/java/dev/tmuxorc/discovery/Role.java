package dev.tmuxorc.discovery;

import java.util.Locale;

/** What a watched pane is: the project manager, or an agent it coordinates. */
public enum Role {
  PM,
  AGENT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
