package dev.tmuxorc.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One hook event an agent reported about itself (Claude Code's hooks; Codex's notify and Gemini CLI's hooks use
 * the same intake): its name, the agent's session and transcript, and the few fields that say what state it is
 * in. Everything is text the agent wrote: it is kept as data, bounded, and never becomes a command.
 */
public record HookEvent(String source, String name, Optional<String> sessionId, Optional<String> transcriptPath,
    Optional<String> cwd, Map<String, String> details, Instant at) {

  /** The agents whose hooks are taken in ({@code POST /api/hooks/<source>}). */
  public static final Set<String> SOURCES = Set.of("claude", "codex", "gemini");

  /** The per-event fields kept (the state-bearing ones); prompts, tool input and output are not. */
  static final String[] DETAILS = {"notification_type", "error_type", "tool_name", "source", "reason", "trigger",
      "agent_type", "message", "error", "is_interrupt", "permission_mode"};

  static final int MAX_TEXT = 512;

  /**
   * Reads the hook's JSON as the agent sent it.
   *
   * @throws IllegalArgumentException naming what is wrong: not an object, or no {@code hook_event_name}
   */
  public static HookEvent parse(String source, JsonNode body, Instant at) {
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException("unknown hook source '" + source + "' (expected one of " + SOURCES + ")");
    }
    if (body == null || !body.isObject()) {
      throw new IllegalArgumentException("the body is not a JSON object");
    }
    // Codex's notify names its event in "type" ("agent-turn-complete"); its hooks and everyone else's in
    // hook_event_name.
    JsonNode name = body.has("hook_event_name") || !"codex".equals(source) ? body.path("hook_event_name")
        : body.path("type");
    if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 64) {
      throw new IllegalArgumentException("hook_event_name: missing, empty or too long");
    }
    Map<String, String> details = new LinkedHashMap<>();
    for (String field : DETAILS) {
      JsonNode value = body.get(field);
      if (value != null && value.isValueNode() && !value.isNull()) {
        details.put(field, bounded(value.asText()));
      }
    }
    Optional<String> session = text(body, "session_id").or(() -> text(body, "thread-id"));
    return new HookEvent(source, bounded(name.asText()), session, text(body, "transcript_path"),
        text(body, "cwd"), Map.copyOf(details), at);
  }

  private static Optional<String> text(JsonNode body, String field) {
    JsonNode value = body.get(field);
    return value != null && value.isTextual() && !value.asText().isBlank()
        ? Optional.of(bounded(value.asText())) : Optional.empty();
  }

  private static String bounded(String text) {
    return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) + "…" : text;
  }
}
