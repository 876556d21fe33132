package dev.tmuxorc.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.json.Json;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One journal entry as {@code tmux-orc events} prints it: a table line, or a JSON line with its seq. */
final class EntryLine {

  static final String HEADER = String.format("%-19s  %6s  %-15s  %-5s  %-12s  %s", "TIME", "SEQ", "TYPE", "PANE",
      "TARGET", "SUMMARY");

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** Shown in their own columns, or implied by the type: left out of an unknown type's summary. */
  private static final Set<String> COLUMNS = Set.of("type", "at", "atMillis", "paneId", "target", "session",
      "windowName", "role", "kind");

  private EntryLine() {
  }

  /** The entry's stored JSON with {@code seq} first. */
  static String json(JournalEntry entry) {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("seq", entry.seq());
    JsonNode stored = parse(entry);
    if (stored instanceof ObjectNode object) {
      line.setAll(object);
    } else {
      line.put("type", entry.type());
      line.put("json", entry.json());
    }
    return line.toString();
  }

  /** Time (local), seq, type, pane, target and a summary of what happened. */
  static String table(JournalEntry entry, ZoneId zone) {
    JsonNode json = parse(entry);
    return String.format("%-19s  %6d  %-15s  %-5s  %-12s  %s", TIME.format(entry.at().atZone(zone)), entry.seq(),
        AgentTable.printable(entry.type(), 30), entry.paneId() == null ? "-" : entry.paneId(),
        AgentTable.printable(text(json, "target", "-"), 24), summary(entry.type(), json)).stripTrailing();
  }

  static String summary(String type, JsonNode json) {
    String summary = switch (type) {
      case "StateChanged" -> text(json, "from", "?") + " -> " + text(json, "to", "?")
          + (json.path("resetAt").isTextual() ? ", resets at " + json.path("resetAt").asText() : "")
          + evidence(json);
      case "HealthChanged" -> "health " + text(json, "from", "?") + " -> " + text(json, "to", "?");
      case "AgentDiscovered" -> text(json, "kind", "?") + " " + text(json, "role", "?") + ", window '"
          + text(json, "windowName", "") + "'";
      case "AgentGone" -> "gone";
      case "HookReceived" -> text(json, "source", "?") + " hook " + text(json, "hook", "?");
      case "FlagChanged" -> text(json, "flag", "?") + (json.path("on").asBoolean() ? " raised: " : " cleared: ")
          + text(json, "reason", "");
      case "SignalsDisagreed" -> "hook " + text(json, "hook", "?") + " says " + text(json, "hookState", "?")
          + ", screen says " + text(json, "screenState", "?") + ": " + text(json, "decided", "?") + evidence(json);
      case "Action" -> text(json, "action", "?") + " " + text(json, "outcome", "?") + ": " + text(json, "why", "")
          + (json.has("report") ? " (report #" + json.path("report").asLong() + ")" : "");
      case "CycleReport" -> json.path("agents").asLong() + " agents, " + json.path("cycles").asLong()
          + " cycles, p50 " + json.path("p50Ms").asDouble() + " ms, p95 " + json.path("p95Ms").asDouble() + " ms, "
          + json.path("captures").asLong() + " captures"
          + (json.path("captureFailures").asLong() > 0 ? " (" + json.path("captureFailures").asLong() + " failed)"
              : "")
          + ", " + json.path("reused").asLong() + " reused";
      case "FleetSample" -> json.path("agents").asLong() + " agents, " + json.path("attention").asLong()
          + " need attention" + counts(json.path("byState"));
      default -> fields(json);
    };
    return AgentTable.printable(summary, 160);
  }

  // ": working 5, idle 3", the states that have agents
  private static String counts(JsonNode byState) {
    List<String> counts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> state : byState.properties()) {
      if (state.getValue().asLong() > 0) {
        counts.add(state.getKey() + " " + state.getValue().asLong());
      }
    }
    return counts.isEmpty() ? "" : ": " + String.join(", ", counts);
  }

  private static String evidence(JsonNode json) {
    JsonNode first = json.path("evidence").path(0);
    return first.isObject() ? " (" + text(first, "rule", "?") + ": " + text(first, "text", "").strip() + ")" : "";
  }

  /** An entry type this version does not know (an action, say): its own fields as key=value. */
  private static String fields(JsonNode json) {
    List<String> fields = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) json::fields) {
      if (!COLUMNS.contains(field.getKey())) {
        JsonNode value = field.getValue();
        fields.add(field.getKey() + "=" + AgentTable.printable(value.isTextual() ? value.asText() : value.toString(),
            60));
      }
    }
    return String.join(" ", fields);
  }

  private static String text(JsonNode json, String field, String otherwise) {
    JsonNode value = json.path(field);
    return value.isMissingNode() || value.isNull() ? otherwise : value.asText();
  }

  private static JsonNode parse(JournalEntry entry) {
    try {
      return Json.MAPPER.readTree(entry.json());
    } catch (JsonProcessingException e) {
      return Json.MAPPER.createObjectNode();
    }
  }
}
