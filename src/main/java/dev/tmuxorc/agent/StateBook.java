package dev.tmuxorc.agent;

import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The record of one state over time: the current state with its evidence and reset time, since when, the one
 * before, the time spent in each, and the last {@link #KEPT} transitions (what {@code explain} shows).
 */
final class StateBook {

  static final int KEPT = 10;

  /** One move from a state to another, with the evidence of the new state. */
  record Transition(AgentState from, AgentState to, Instant at, List<Evidence> evidence) { }

  private AgentState state = AgentState.UNKNOWN;
  private AgentState previousState = AgentState.UNKNOWN;
  private Instant since;
  private List<Evidence> evidence = List.of();
  private Optional<Instant> resetAt = Optional.empty();
  private final Map<AgentState, Duration> timeInState = new EnumMap<>(AgentState.class);
  private final Deque<Transition> transitions = new ArrayDeque<>();

  StateBook(Instant firstSeen) {
    this.since = firstSeen;
  }

  /** Records the state's evidence and reset time; a change of state is returned (and kept as a transition). */
  Optional<AgentStateMachine.Change<AgentState>> set(AgentState next, List<Evidence> nextEvidence,
      Optional<Instant> nextResetAt, Instant at) {
    evidence = nextEvidence;
    resetAt = nextResetAt;
    if (next == state) {
      return Optional.empty();
    }
    // a hook event held for discovery, or a capture, may be dated before the state it ends: time never runs back
    at = at.isBefore(since) ? since : at;
    timeInState.merge(state, Duration.between(since, at), Duration::plus);
    AgentStateMachine.Change<AgentState> change = new AgentStateMachine.Change<>(state, next);
    previousState = state;
    state = next;
    since = at;
    transitions.addLast(new Transition(change.from(), next, at, nextEvidence));
    if (transitions.size() > KEPT) {
      transitions.removeFirst();
    }
    return Optional.of(change);
  }

  AgentState state() {
    return state;
  }

  AgentState previousState() {
    return previousState;
  }

  Instant since() {
    return since;
  }

  List<Evidence> evidence() {
    return evidence;
  }

  Optional<Instant> resetAt() {
    return resetAt;
  }

  /** The last transitions, oldest first. */
  List<Transition> transitions() {
    return List.copyOf(transitions);
  }

  /** Time spent in each state so far, the current one counted up to {@code now}. */
  Map<AgentState, Duration> timeInState(Instant now) {
    Map<AgentState, Duration> copy = new EnumMap<>(AgentState.class);
    copy.putAll(timeInState);
    copy.merge(state, Duration.between(since, now), Duration::plus);
    return copy;
  }
}
