package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.json.Json;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tools {@code tmux-orc mcp} offers a PM's agent, each a call to the running monitor's HTTP API. Every failure
 * (no monitor, an unknown pane, a refusal) is a tool error with a message the model can act on, never a crash.
 */
final class McpTools {

  /** The states that need someone's attention ({@code list_agents needs_attention}), besides hooks.stalled. */
  static final Set<String> ATTENTION = Set.of("waiting", "unsubmitted", "error", "crashed", "rate_limited");

  static final List<String> STATES = Arrays.stream(AgentState.values()).map(AgentState::wireName).toList();

  /** How long send_message waits for the monitor (which answers within 15 s, pending if typing takes longer). */
  static final Duration MESSAGE_LIMIT = Duration.ofSeconds(20);

  /** A failure the tool reports as it is. */
  static final class ToolError extends RuntimeException {
    ToolError(String message) {
      super(message);
    }
  }

  private final Supplier<DaemonClient> daemon;

  /** {@code daemon}: finds the running monitor at each call (it may start, stop or move while we serve). */
  McpTools(Supplier<DaemonClient> daemon) {
    this.daemon = daemon;
  }

  List<SyncToolSpecification> specifications() {
    return List.of(
        tool("list_agents", "List the agents tmux-orc supervises (one line of facts each: pane id, target, window, "
                + "role, kind, state, health, since). Filters combine: needs_attention keeps agents waiting for a "
                + "decision, unsubmitted, in error, crashed, rate-limited, or whose hooks stalled.",
            schema(Map.of(
                "needs_attention", Map.of("type", "boolean",
                    "description", "Only agents that need attention."),
                "session", Map.of("type", "string", "description", "Only this tmux session's agents."),
                "state", Map.of("type", "string", "enum", STATES, "description", "Only agents in this state.")),
                List.of()),
            this::listAgents),
        tool("get_agent", "One agent in full: state, evidence, hooks, time in each state.",
            schema(Map.of("pane", PANE), List.of("pane")),
            args -> pretty(get("/api/agents/" + encode(pane(args)), "agent"))),
        tool("get_screen", "The agent's last captured screen, as text.",
            schema(Map.of("pane", PANE), List.of("pane")),
            args -> text(get("/api/agents/" + encode(pane(args)) + "/screen", "screen"))),
        tool("explain", "Why the agent is in its state: the deciding rule and its evidence, the screen's and the "
                + "hooks' readings, flags (stalled, hooks_silent), the last transitions.",
            schema(Map.of("pane", PANE), List.of("pane")),
            args -> pretty(get("/api/agents/" + encode(pane(args)) + "/explain", "agent"))),
        tool("pending_reports", "What tmux-orc has noted for the PM: entries waiting to be reported (pending, or "
                + "in flight), and the latest reports with their numbers (for ack_report).",
            schema(Map.of("session", Map.of("type", "string", "description", "Only this tmux session's.")),
                List.of()),
            this::pendingReports),
        tool("ack_report", "Acknowledge a report tmux-orc delivered (its number is in the report: [tmux-orc #N]): "
                + "the needs it carried are not escalated to people.",
            schema(Map.of("report", Map.of("type", "integer", "minimum", 1,
                "description", "The report's number.")), List.of("report")),
            this::ackReport),
        tool("send_message", "Type a message into an agent's prompt and submit it, by tmux-orc's typing rules: "
                + "only into an empty prompt (never over someone's text), literally, verified. Refused while "
                + "tmux-orc's actions are paused or in dry-run. Journalled as an action.",
            schema(Map.of("pane", PANE, "text", Map.of("type", "string", "minLength", 1, "maxLength", 4000,
                "description", "The message (control characters are removed).")), List.of("pane", "text")),
            this::sendMessage));
  }

  private static final Map<String, Object> PANE = Map.of("type", "string", "description",
      "The agent: its pane id (%3), or its target (session:window.pane) or window name as list_agents shows them.");

  // ---------------------------------------------------------------- the tools

  private McpSchema.CallToolResult listAgents(Map<String, Object> args) {
    List<String> query = new ArrayList<>();
    string(args, "state").ifPresent(s -> query.add("state=" + encode(s)));
    string(args, "session").ifPresent(s -> query.add("session=" + encode(s)));
    boolean attention = Boolean.TRUE.equals(args.get("needs_attention"));
    JsonNode agents = json(get("/api/agents" + (query.isEmpty() ? "" : "?" + String.join("&", query)), "agents"));
    ArrayNode lines = Json.MAPPER.createArrayNode();
    for (JsonNode agent : agents) {
      boolean needs = ATTENTION.contains(agent.path("state").asText())
          || agent.path("hooks").path("stalled").asBoolean();
      if (attention && !needs) {
        continue;
      }
      ObjectNode line = lines.addObject();
      for (String field : List.of("paneId", "target", "windowName", "role", "kind", "state", "health", "since",
          "resetAt")) {
        line.set(field, agent.path(field));
      }
      line.put("stalled", agent.path("hooks").path("stalled").asBoolean());
      line.put("needsAttention", needs);
    }
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("count", lines.size());
    result.set("agents", lines);
    return pretty(result);
  }

  private McpSchema.CallToolResult pendingReports(Map<String, Object> args) {
    JsonNode reports = json(get("/api/reports", "reports"));
    var session = string(args, "session");
    if (session.isPresent()) {
      ObjectNode only = reports.deepCopy();
      for (String list : List.of("entries", "reports")) {
        ArrayNode kept = only.putArray(list);
        reports.path(list).forEach(e -> {
          if (e.path("session").asText().equals(session.get())) {
            kept.add(e);
          }
        });
      }
      reports = only;
    }
    return pretty(reports);
  }

  private McpSchema.CallToolResult ackReport(Map<String, Object> args) {
    Object report = args.get("report");
    if (!(report instanceof Number number) || number.longValue() < 1) {
      throw new ToolError("report: a report number (1 or more) is needed");
    }
    DaemonClient client = daemon.get();
    return pretty(json(answered(client.post("/api/reports/" + number.longValue() + "/ack"), client, "report")));
  }

  private McpSchema.CallToolResult sendMessage(Map<String, Object> args) {
    String pane = pane(args);
    String text = string(args, "text").orElseThrow(() -> new ToolError("text: the message is missing"));
    DaemonClient client = daemon.get();
    byte[] body;
    try {
      body = Json.MAPPER.writeValueAsBytes(Map.of("text", text));
    } catch (IOException e) {
      throw new ToolError("cannot write the message as JSON: " + e.getMessage());
    }
    DaemonClient.Response answer = client.postJson("/api/agents/" + encode(pane) + "/message", body, Map.of(),
        MESSAGE_LIMIT);
    return pretty(json(answered(answer, client, "agent")));
  }

  // ---------------------------------------------------------------- talking to the monitor

  private DaemonClient.Response get(String path, String what) {
    DaemonClient client = daemon.get();
    return answered(client.get(path), client, what);
  }

  /** The answer when it is a success (202 pending included), else a tool error saying what the monitor said. */
  private static DaemonClient.Response answered(DaemonClient.Response answer, DaemonClient client, String what) {
    if (answer.ok()) {
      return answer;
    }
    String detail = answer.body();
    String error = "";
    String outcome = "";
    try {
      JsonNode json = Json.MAPPER.readTree(answer.body());
      detail = json.path("detail").asText(answer.body());
      error = json.path("error").asText("");
      outcome = json.path("outcome").asText("");
    } catch (IOException e) {
      // not JSON: the body as it is
    }
    if (answer.status() == 404 && "not found".equals(error)) {
      throw new ToolError("the monitor at " + client.base() + " has no such endpoint (" + detail + "): is it an "
          + "older tmux-orc than this one?");
    }
    if (answer.status() == 404 && "agent".equals(what)) {
      throw new ToolError(detail + " (list_agents lists the agents)");
    }
    throw new ToolError((outcome.isEmpty() ? "the monitor answered " + answer.status() : outcome) + ": " + detail);
  }

  /** A pane id as it is; a target or window name found through the monitor's agents. */
  private String pane(Map<String, Object> args) {
    String given = string(args, "pane").orElseThrow(() -> new ToolError("pane: the agent's pane id is missing"));
    if (given.matches("%[0-9]+")) {
      return given;
    }
    JsonNode agents = json(get("/api/agents", "agents"));
    List<String> found = new ArrayList<>();
    agents.forEach(a -> {
      if (a.path("target").asText().equals(given)) {
        found.add(a.path("paneId").asText());
      }
    });
    if (found.isEmpty()) {
      agents.forEach(a -> {
        if (a.path("windowName").asText().equals(given)) {
          found.add(a.path("paneId").asText());
        }
      });
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    throw new ToolError(found.isEmpty() ? "no agent has the pane id, target or window name '" + given
        + "' (list_agents lists them)" : "'" + given + "' names " + found.size() + " agents (" + String.join(", ",
        found) + "): give a pane id");
  }

  // ---------------------------------------------------------------- helpers

  private static SyncToolSpecification tool(String name, String description, Map<String, Object> schema,
      Function<Map<String, Object>, McpSchema.CallToolResult> call) {
    return SyncToolSpecification.builder()
        .tool(McpSchema.Tool.builder().name(name).description(description).inputSchema(schema).build())
        .callHandler((exchange, request) -> run(request.arguments() == null ? Map.of() : request.arguments(), call))
        .build();
  }

  /** The tool's result, or its failure as a tool error: the model reads it, the session goes on. */
  static McpSchema.CallToolResult run(Map<String, Object> args,
      Function<Map<String, Object>, McpSchema.CallToolResult> call) {
    try {
      return call.apply(args);
    } catch (ToolError e) {
      return error(e.getMessage());
    } catch (DaemonUnavailableException e) {
      return error("no tmux-orc monitor is running or answering (" + e.getMessage() + "); it is started with "
          + "`tmux-orc monitor start`");
    } catch (RuntimeException e) {
      return error("tmux-orc failed: " + e);
    }
  }

  static McpSchema.CallToolResult error(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }

  private static Map<String, Object> schema(Map<String, Object> properties, List<String> required) {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", new java.util.TreeMap<>(properties));
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  private static java.util.Optional<String> string(Map<String, Object> args, String name) {
    Object value = args.get(name);
    return value instanceof String s && !s.isBlank() ? java.util.Optional.of(s.strip()) : java.util.Optional.empty();
  }

  private static JsonNode json(DaemonClient.Response answer) {
    try {
      return Json.MAPPER.readTree(answer.body());
    } catch (IOException e) {
      throw new ToolError("the monitor answered something that is not JSON: " + e.getMessage());
    }
  }

  private static McpSchema.CallToolResult pretty(DaemonClient.Response answer) {
    return pretty(json(answer));
  }

  private static McpSchema.CallToolResult pretty(JsonNode json) {
    try {
      return text(Json.PRETTY.writeValueAsString(json));
    } catch (IOException e) {
      throw new ToolError("cannot write JSON: " + e.getMessage());
    }
  }

  private static McpSchema.CallToolResult text(DaemonClient.Response answer) {
    return text(answer.body());
  }

  private static McpSchema.CallToolResult text(String text) {
    return McpSchema.CallToolResult.builder().addTextContent(text).isError(false).build();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
