package dev.tmuxorc.fleet;

import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.Role;
import java.util.Optional;

/** Which agents a listing shows: by state, session name and role; an empty part matches every agent. */
public record AgentFilter(Optional<AgentState> state, Optional<String> session, Optional<Role> role) {

  public static final AgentFilter ALL = new AgentFilter(Optional.empty(), Optional.empty(), Optional.empty());

  // No lambdas: asked once per agent per request, and C1-compiled code (the launcher's) allocates each one.
  public boolean matches(AgentStatus status) {
    return (state.isEmpty() || state.get() == status.state())
        && (session.isEmpty() || session.get().equals(status.agent().pane().sessionName()))
        && (role.isEmpty() || role.get() == status.agent().role());
  }
}
