package dev.tmuxorc.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * What an agent's hooks told so far: its session and transcript (so that recovery can resume the conversation),
 * the last hook event and when it came, how many came, and the flags the fusion raised about them (a hook event
 * clears both: it is a sign of life).
 */
public record HookFacts(Optional<String> sessionId, Optional<String> transcriptPath, String lastEvent,
    Instant lastAt, long events, boolean stalled, boolean silent) {

  /** These facts after one more event: a session or transcript it names replaces the one known. */
  public HookFacts with(HookEvent event) {
    return new HookFacts(event.sessionId().or(() -> sessionId), event.transcriptPath().or(() -> transcriptPath),
        event.name(), event.at(), events + 1, false, false);
  }

  /** These facts with a flag raised or cleared. */
  public HookFacts with(AgentFlag flag, boolean on) {
    return new HookFacts(sessionId, transcriptPath, lastEvent, lastAt, events,
        flag == AgentFlag.STALLED ? on : stalled, flag == AgentFlag.HOOKS_SILENT ? on : silent);
  }

  public static HookFacts first(HookEvent event) {
    return new HookFacts(event.sessionId(), event.transcriptPath(), event.name(), event.at(), 1, false, false);
  }
}
