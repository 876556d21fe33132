package dev.tmuxorc.agent;

import java.util.Locale;

/** A condition of an agent beside its state, raised and cleared by the fusion of its signals. */
public enum AgentFlag {
  /** Hooks said working, and neither a hook event nor the screen moved since for {@code hooks.stalled-after}. */
  STALLED,
  /** The agent's hooks flowed before and stopped while its screen went on: the screen alone decides. */
  HOOKS_SILENT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return wireName();
  }
}
