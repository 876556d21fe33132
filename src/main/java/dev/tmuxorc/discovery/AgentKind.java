package dev.tmuxorc.discovery;

import java.util.Locale;
import java.util.Optional;

/** Which agent program runs in a pane; decides which detection markers apply. */
public enum AgentKind {
  CLAUDE,
  CODEX,
  AIDER,
  GEMINI,
  UNKNOWN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<AgentKind> fromWireName(String name) {
    for (AgentKind kind : values()) {
      if (kind.wireName().equalsIgnoreCase(name.trim())) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName();
  }
}
