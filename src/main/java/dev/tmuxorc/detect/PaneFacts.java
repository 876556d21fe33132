package dev.tmuxorc.detect;

import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import java.util.Objects;

/**
 * What tmux tells about a pane besides its screen: which agent runs there, whether its process has died
 * (`#{pane_dead}`) and the foreground command (`#{pane_current_command}`, empty when unknown).
 */
public record PaneFacts(AgentKind kind, boolean dead, String currentCommand) {

  public PaneFacts {
    Objects.requireNonNull(kind, "kind");
    currentCommand = currentCommand == null ? "" : currentCommand;
  }

  /** What discovery knows about an agent's pane. */
  public static PaneFacts of(AgentPane agent) {
    return new PaneFacts(agent.kind(), agent.pane().dead(), agent.pane().currentCommand());
  }

  /** A live pane of the given kind whose foreground command is unknown. */
  public static PaneFacts of(AgentKind kind) {
    return new PaneFacts(kind, false, "");
  }
}
