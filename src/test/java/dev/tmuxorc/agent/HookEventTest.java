package dev.tmuxorc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tmuxorc.json.Json;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hook bodies as each agent sends them. */
class HookEventTest {

  private static HookEvent parse(String source, String json) throws Exception {
    return HookEvent.parse(source, Json.MAPPER.readTree(json), Instant.EPOCH);
  }

  @Test
  void codexNotifyNamesItsEventInTypeAndItsSessionInThreadId() throws Exception {
    HookEvent event = parse("codex", "{\"type\":\"agent-turn-complete\",\"thread-id\":\"t-1\",\"turn-id\":\"9\"}");
    assertEquals("agent-turn-complete", event.name());
    assertEquals(Optional.of("t-1"), event.sessionId());
  }

  @Test
  void onlyCodexMayNameItsEventInType() {
    assertThrows(IllegalArgumentException.class, () -> parse("claude", "{\"type\":\"Stop\"}"));
  }

  @Test
  void claudeEventsKeepTheirStateBearingFieldsOnly() throws Exception {
    HookEvent event = parse("claude", "{\"hook_event_name\":\"Notification\",\"session_id\":\"s\","
        + "\"notification_type\":\"permission_prompt\",\"prompt\":\"secret\"}");
    assertEquals("Notification", event.name());
    assertEquals("permission_prompt", event.details().get("notification_type"));
    assertEquals(null, event.details().get("prompt"));
  }
}
