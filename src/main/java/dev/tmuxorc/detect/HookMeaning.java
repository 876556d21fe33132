package dev.tmuxorc.detect;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one hook event says about its agent (the {@code tmux-orc.hooks.mapping} vocabulary): a state, that the
 * agent's session ended ({@code left}: the screen and tmux decide what follows), or nothing ({@code ignore}).
 */
public enum HookMeaning {
  STARTING(AgentState.STARTING),
  WORKING(AgentState.WORKING),
  IDLE(AgentState.IDLE),
  WAITING(AgentState.WAITING),
  RATE_LIMITED(AgentState.RATE_LIMITED),
  ERROR(AgentState.ERROR),
  LEFT(null),
  IGNORE(null);

  private final AgentState state;

  HookMeaning(AgentState state) {
    this.state = state;
  }

  /** The state this meaning reports; empty for {@code left} and {@code ignore}. */
  public Optional<AgentState> state() {
    return Optional.ofNullable(state);
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The meaning of a config value.
   *
   * @throws IllegalArgumentException listing the valid words
   */
  public static HookMeaning parse(String word) {
    for (HookMeaning meaning : values()) {
      if (meaning.wireName().equals(word.trim().toLowerCase(Locale.ROOT))) {
        return meaning;
      }
    }
    throw new IllegalArgumentException("unknown meaning '" + word + "' (expected one of "
        + Arrays.stream(values()).map(HookMeaning::wireName).collect(Collectors.joining(", ")) + ")");
  }

  @Override
  public String toString() {
    return wireName();
  }
}
