package dev.tmuxorc.discovery;

/** A pane that discovery decided to watch, with its role and agent kind. */
public record AgentPane(Pane pane, Role role, AgentKind kind) {

  public PaneId paneId() {
    return pane.paneId();
  }

  /** Identity of the agent across discoveries: the pane and its process. */
  public AgentId key() {
    return new AgentId(pane.paneId(), pane.pid());
  }
}
