package dev.tmuxorc.discovery;

/**
 * Who an agent is across discoveries: its pane and the pane's process. Pane ids restart at %0 when the tmux
 * server restarts, and a respawned pane runs a new process, so the pid is part of the identity.
 */
public record AgentId(PaneId pane, int pid) {

  @Override
  public String toString() {
    return pane + "@" + pid;
  }
}
