package dev.tmuxorc.detect;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The classifier's verdict on one screen, with its evidence and, when rate-limited, the reset time. */
public record Observation(AgentState state, List<Evidence> evidence, Optional<Instant> resetAt) {

  public Observation {
    evidence = List.copyOf(evidence);
  }

  public static Observation of(AgentState state, Evidence... evidence) {
    return new Observation(state, List.of(evidence), Optional.empty());
  }
}
