package dev.tmuxorc.actions;

import java.util.Locale;

/** Why an agent needs its PM: each has its words in a report and its cooldown key in {@code pm-reports.cooldowns}. */
public enum Reason {
  IDLE("idle", "idle, no work"),
  WAITING("waiting", "waiting for a decision"),
  UNSUBMITTED("unsubmitted", "a prompt typed but not sent"),
  CRASHED("crashed", "crashed"),
  ERROR("error", "stopped on an error"),
  BACK("rate-limited", "back from its rate limit"),
  STALLED("stalled", "stalled: said it was working, nothing moved since"),
  MISSING("missing", "gone: its pane closed"),
  TEAM_IDLE("team-idle", "every agent of the session is idle");

  private final String cooldownKey;
  private final String words;

  Reason(String cooldownKey, String words) {
    this.cooldownKey = cooldownKey;
    this.words = words;
  }

  /** The key of its cooldown in {@code tmux-orc.actions.pm-reports.cooldowns}. */
  public String cooldownKey() {
    return cooldownKey;
  }

  /** How a report says it. */
  public String words() {
    return words;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
