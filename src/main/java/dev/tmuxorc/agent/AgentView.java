package dev.tmuxorc.agent;

import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.Pane;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON shape of an agent for {@code scan --json} and the HTTP API: plain strings and numbers only.
 * {@code timeInStateMs}: milliseconds spent in each state since the agent was first seen (empty from scan).
 */
public record AgentView(
    String paneId,
    String target,
    String session,
    int windowIndex,
    String windowName,
    int paneIndex,
    String role,
    String kind,
    String state,
    String previousState,
    String health,
    String since,
    String lastChange,
    String resetAt,
    List<Evidence> evidence,
    String command,
    int pid,
    boolean dead,
    Map<String, Long> timeInStateMs,
    Hooks hooks) {

  /**
   * What the agent's hooks told: null when none came (from scan, or an agent without hooks). {@code stalled}:
   * hooks said working and nothing moved since; {@code silent}: the hooks stopped while the screen went on.
   */
  public record Hooks(String sessionId, String transcriptPath, String lastEvent, String lastAt, long events,
      boolean stalled, boolean silent) {

    static Hooks of(HookFacts facts) {
      return new Hooks(facts.sessionId().orElse(null), facts.transcriptPath().orElse(null), facts.lastEvent(),
          iso(facts.lastAt()), facts.events(), facts.stalled(), facts.silent());
    }
  }

  public static AgentView of(AgentStatus status) {
    Pane pane = status.agent().pane();
    return new AgentView(pane.paneId().value(), pane.target(), pane.sessionName(), pane.windowIndex(), pane.windowName(),
        pane.paneIndex(), status.agent().role().wireName(), status.agent().kind().wireName(),
        status.state().wireName(), status.previousState().wireName(), status.health().wireName(),
        iso(status.since()), iso(status.lastChange()), status.resetAt().map(AgentView::iso).orElse(null),
        status.evidence(), pane.currentCommand(), pane.pid(), pane.dead(), millisByState(status),
        status.hooks().map(Hooks::of).orElse(null));
  }

  // Time spent in each state since the agent was first seen, in the states' order; empty for a snapshot (scan).
  private static Map<String, Long> millisByState(AgentStatus status) {
    Map<String, Long> millis = new LinkedHashMap<>();
    new TreeMap<>(status.timeInState()).forEach((state, time) -> millis.put(state.wireName(), time.toMillis()));
    return millis;
  }

  private static String iso(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
