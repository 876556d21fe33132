package dev.tmuxorc.agent;

import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.AgentPane;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A snapshot of one agent as the CLI and API show it. */
public record AgentStatus(
    AgentPane agent,
    AgentState state,
    AgentState previousState,
    Health health,
    Instant since,
    Instant lastChange,
    List<Evidence> evidence,
    Optional<Instant> resetAt,
    Map<AgentState, Duration> timeInState,
    Optional<HookFacts> hooks) {

  /** This status with other hook facts. */
  public AgentStatus withHooks(Optional<HookFacts> facts) {
    return new AgentStatus(agent, state, previousState, health, since, lastChange, evidence, resetAt, timeInState,
        facts);
  }
}
