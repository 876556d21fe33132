package dev.tmuxorc.agent;

import dev.tmuxorc.detect.Evidence;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Why an agent is in its state ({@code tmux-orc explain}, {@code GET /api/agents/{paneId}/explain}): the state
 * and the rule that decided it, each source's latest reading with its age, the flags raised, and the last
 * transitions with their evidence. Times are ISO-8601, ages in milliseconds at {@code at}.
 */
public record Explanation(String paneId, String target, String kind, String state, String since, long sinceAgeMs,
    String rule, List<Evidence> evidence, Screen screen, Hook hook, List<String> flags,
    List<Transition> transitions, String at) {

  /**
   * The screen's reading: the state its own rules accepted, the verdict of the last screen looked at (it may
   * still wait for its confirmation) with its evidence, and when the screen was last captured and last changed.
   */
  public record Screen(String state, String lastVerdict, List<Evidence> lastEvidence, String lastCapture,
      Long lastCaptureAgeMs, String lastChange, long lastChangeAgeMs) { }

  /**
   * The hooks' reading (null when no hook event came): the last event that meant something, the mapping key that
   * matched and its meaning, whether it takes part now ({@code inForce}: not stale, silent, or a session end), and
   * the last event of any meaning.
   */
  public record Hook(String source, String event, String mappingKey, String meaning, String at, long ageMs,
      boolean inForce, String lastEvent, String lastEventAt, long lastEventAgeMs, long events, String sessionId,
      String transcriptPath) { }

  /** What one look at the screen explains (a one-shot scan): the screen's verdict, no hooks, no history. */
  public static Explanation ofSnapshot(AgentStatus status, Instant now) {
    String state = status.state().wireName();
    long age = Math.max(0, Duration.between(status.since(), now).toMillis());
    String rule = status.evidence().isEmpty() ? "none" : status.evidence().get(0).rule();
    return new Explanation(status.agent().paneId().value(), status.agent().pane().target(),
        status.agent().kind().wireName(), state, status.since().toString(), age, rule, status.evidence(),
        new Screen(state, state, status.evidence(), status.since().toString(), age, status.lastChange().toString(),
            Math.max(0, Duration.between(status.lastChange(), now).toMillis())),
        null, List.of(), List.of(), now.toString());
  }

  /** One move between states, with the evidence (deciding rule first) of the state moved to. */
  public record Transition(String from, String to, String at, String rule, List<Evidence> evidence) { }
}
