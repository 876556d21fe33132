package dev.tmuxorc.fleet;

import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.detect.AgentState;
import java.time.Duration;
import java.util.Map;

/**
 * An agent's status as the {@link FleetView} tracks it, the time it spent in the states it has left, and its JSON
 * once a listing asked for it. A change of the agent makes a new one, so the JSON kept here is valid as long as
 * this is the agent's entry. Immutable but for that memo, which any reading thread may fill: at worst two make
 * the same bytes.
 */
final class TrackedAgent {

  private final AgentStatus status;
  private final Map<AgentState, Duration> past;
  private volatile AgentJson json;

  TrackedAgent(AgentStatus status, Map<AgentState, Duration> past) {
    this.status = status;
    this.past = past;
  }

  AgentStatus status() {
    return status;
  }

  Map<AgentState, Duration> past() {
    return past;
  }

  AgentJson json() {
    AgentJson made = json;
    if (made == null) {
      made = AgentJson.of(status, past);
      json = made;
    }
    return made;
  }
}
