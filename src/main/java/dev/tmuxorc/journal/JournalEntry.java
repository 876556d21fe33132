package dev.tmuxorc.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.tmuxorc.json.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One journalled event: its sequence number (monotonically increasing, the SSE event id), when it happened, its
 * type ("StateChanged", "CycleReport", ...), the pane it concerns (null for fleet-wide entries) and its JSON.
 * The journal publishes each entry on the actor system's event stream once it has its number.
 */
public record JournalEntry(long seq, Instant at, String type, String paneId, String json) {

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

  /**
   * Its JSON as an object with {@code seq} first, as the API lists entries. A stored text that is no JSON object
   * (never written by this journal) comes as its {@code type} and the raw {@code json}.
   */
  public Map<String, Object> withSeq() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("seq", seq);
    try {
      object.putAll(Json.MAPPER.readValue(json, OBJECT));
    } catch (JsonProcessingException | RuntimeException e) {
      object.put("type", type);
      object.put("json", json);
    }
    return object;
  }
}
