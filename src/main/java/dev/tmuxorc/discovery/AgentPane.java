package dev.tmuxorc.discovery;

/** A pane that discovery decided to watch, with its role and agent kind. */
public record AgentPane(Pane pane, Role role, AgentKind kind) {

  public String paneId() {
    return pane.paneId();
  }

  /**
   * Identity of the agent across discoveries: pane ids restart at %0 when the tmux server restarts, and a
   * respawned pane runs a new process, so the pid is part of who the agent is.
   */
  public String key() {
    return pane.paneId() + "@" + pane.pid();
  }
}
