package dev.tmuxorc.detect;

import dev.tmuxorc.discovery.AgentKind;

/** What is known about the pane besides its screen. */
public record PaneFacts(AgentKind kind, boolean dead, String currentCommand) {

  public static PaneFacts of(AgentKind kind) {
    return new PaneFacts(kind, false, "");
  }
}
