package dev.tmuxorc.detect;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The classification of one screen: the state, the evidence that decided it (deciding evidence first) and, for
 * rate_limited, the reset instant when the screen names one.
 */
public record Observation(AgentState state, List<Evidence> evidence, Optional<Instant> resetAt) {

  public Observation {
    Objects.requireNonNull(state, "state");
    evidence = List.copyOf(evidence);
    Objects.requireNonNull(resetAt, "resetAt");
  }

  /** An observation without a reset time. */
  public static Observation of(AgentState state, Evidence... evidence) {
    return new Observation(state, List.of(evidence), Optional.empty());
  }
}
