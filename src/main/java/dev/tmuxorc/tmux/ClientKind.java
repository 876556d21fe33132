package dev.tmuxorc.tmux;

import java.util.Locale;

/** How tmux is spoken to ({@code tmux-orc.tmux.client}). */
public enum ClientKind {
  /** Persistent pipelined {@code tmux -C} clients: the default, and what the event strategy needs. */
  CONTROL,
  /** One tmux process per command: 20x and more slower, for systems where control mode cannot be used. */
  PROCESS;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ClientKind parse(String value) {
    for (ClientKind kind : values()) {
      if (kind.wireName().equalsIgnoreCase(value.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException("'" + value + "' is not one of: control, process");
  }
}
