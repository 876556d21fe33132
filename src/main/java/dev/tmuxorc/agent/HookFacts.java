package dev.tmuxorc.agent;

import java.time.Instant;
import java.util.Optional;

/**
 * What an agent's hooks told so far: its session and transcript (so that recovery can resume the conversation),
 * the last hook event and when it came, and how many came.
 */
public record HookFacts(Optional<String> sessionId, Optional<String> transcriptPath, String lastEvent,
    Instant lastAt, long events) {

  /** These facts after one more event: a session or transcript it names replaces the one known. */
  public HookFacts with(HookEvent event) {
    return new HookFacts(event.sessionId().or(() -> sessionId), event.transcriptPath().or(() -> transcriptPath),
        event.name(), event.at(), events + 1);
  }

  public static HookFacts first(HookEvent event) {
    return new HookFacts(event.sessionId(), event.transcriptPath(), event.name(), event.at(), 1);
  }
}
