package dev.tmuxorc.fleet;

import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.Role;
import java.util.Optional;

/** Which agents a listing shows: by state, session name and role; an empty part matches every agent. */
public record AgentFilter(Optional<AgentState> state, Optional<String> session, Optional<Role> role) {

  public static final AgentFilter ALL = new AgentFilter(Optional.empty(), Optional.empty(), Optional.empty());

  public boolean matches(AgentStatus status) {
    return state.map(s -> s == status.state()).orElse(true)
        && session.map(s -> s.equals(status.agent().pane().sessionName())).orElse(true)
        && role.map(r -> r == status.agent().role()).orElse(true);
  }
}
