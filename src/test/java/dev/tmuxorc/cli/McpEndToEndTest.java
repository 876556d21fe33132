package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.app.Surfaces;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.ApiStandIn;
import dev.tmuxorc.testing.FakePrompt;
import dev.tmuxorc.testing.FakeProcess;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tmux-orc mcp} as a PM's Claude Code runs it: a process of its own, driven by the MCP SDK's client over
 * stdio (initialize, tools/list, tools/call). Against a stand-in for the monitor's API (fast: what each tool
 * asks and answers, and its errors), and against the real tree on a private tmux server, whose send_message types
 * into a pane running a Claude-like prompt exactly once, and is refused while actions are paused.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // a hang guard only: nothing here asserts on timings
class McpEndToEndTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final List<String> TOOLS = List.of("ack_report", "explain", "get_agent", "get_screen",
      "list_agents", "pending_reports", "send_message");

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  private McpSyncClient client;
  private ActorTestKit testKit;

  @AfterEach
  void cleanUp() {
    if (client != null) {
      client.closeGracefully(); // closes its stdin: the server process ends (the transport waits for it)
    }
    if (testKit != null) {
      testKit.shutdownTestKit();
    }
  }

  /** Starts {@code tmux-orc mcp} (this build's classes) with {@code base} as its base directory, and initializes. */
  private McpSyncClient connect(BaseDir base) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ServerParameters server = ServerParameters.builder(java)
        .args("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "mcp")
        .env(Map.of(BaseDir.ENV_VAR, base.path().toString(), "TMUX_ORC_HTTP_TOKEN", ""))
        .build();
    StdioClientTransport transport = new StdioClientTransport(server, new JacksonMcpJsonMapper(new ObjectMapper()));
    transport.setStdErrorHandler(line -> System.out.println("mcp stderr: " + line));
    client = McpClient.sync(transport).requestTimeout(PATIENCE).build();
    McpSchema.InitializeResult init = client.initialize();
    assertEquals("tmux-orc", init.serverInfo().name());
    assertTrue(init.capabilities().tools() != null, "it offers tools: " + init.capabilities());
    return client;
  }

  private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
    return client.callTool(new McpSchema.CallToolRequest(tool, args));
  }

  private static String text(McpSchema.CallToolResult result) {
    return ((McpSchema.TextContent) result.content().get(0)).text();
  }

  private static JsonNode json(McpSchema.CallToolResult result) throws Exception {
    assertFalse(Boolean.TRUE.equals(result.isError()), "a success: " + text(result));
    return Json.MAPPER.readTree(text(result));
  }

  private static String error(McpSchema.CallToolResult result) {
    assertTrue(Boolean.TRUE.equals(result.isError()), "a tool error: " + result);
    return text(result);
  }

  private static String agent(String pane, String target, String state, boolean stalled) {
    return "{\"paneId\":\"" + pane + "\",\"target\":\"" + target + "\",\"session\":\"" + target.split(":")[0]
        + "\",\"windowName\":\"w" + pane.substring(1) + "\",\"role\":\"agent\",\"kind\":\"claude\",\"state\":\""
        + state + "\",\"health\":\"healthy\",\"since\":\"2026-01-01T00:00:00Z\",\"hooks\":"
        + (stalled ? "{\"stalled\":true}" : "null") + "}";
  }

  @Test
  void aClientSessionListsEveryToolAndCallsThemAgainstTheMonitorsApiWithClearToolErrors() throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    ApiStandIn api = ApiStandIn.start(dir, base);
    try {
      api.answer("/api/agents", 200, "[" + String.join(",", agent("%1", "proj:1.0", "working", false),
          agent("%2", "proj:2.0", "rate_limited", false), agent("%3", "proj:3.0", "working", true),
          agent("%4", "other:1.0", "waiting", false)) + "]");
      api.answer("/api/agents/%3/explain", 200, "{\"paneId\":\"%3\",\"state\":\"working\",\"rule\":\"stalled\"}");
      api.answer("/api/agents/%9/explain", 404, "{\"error\":\"unknown pane\",\"detail\":\"no agent in pane %9\"}");
      api.answer("/api/agents/%3/screen", 200, "✻ Working… (esc to interrupt)");
      connect(base);

      // tools/list: every tool, each with an object schema for its input
      List<McpSchema.Tool> tools = client.listTools().tools();
      assertEquals(TOOLS, tools.stream().map(McpSchema.Tool::name).sorted().toList());
      for (McpSchema.Tool tool : tools) {
        assertEquals("object", tool.inputSchema().get("type"), tool.name());
        assertFalse(tool.description().isBlank(), tool.name());
      }
      McpSchema.Tool send = tools.stream().filter(t -> t.name().equals("send_message")).findFirst().orElseThrow();
      assertEquals(List.of("pane", "text"), send.inputSchema().get("required"));
      assertTrue(((Map<?, ?>) send.inputSchema().get("properties")).keySet().containsAll(List.of("pane", "text")),
          send.inputSchema().toString());

      // list_agents: all, and those needing attention (rate-limited, waiting, hooks stalled), by session
      assertEquals(4, json(call("list_agents", Map.of())).path("count").asInt());
      JsonNode attention = json(call("list_agents", Map.of("needs_attention", true)));
      assertEquals(List.of("%2", "%3", "%4"), panes(attention));
      assertTrue(attention.path("agents").path(1).path("stalled").asBoolean(), attention.toString());
      json(call("list_agents", Map.of("session", "proj", "state", "working")));
      assertTrue(api.requests().contains("GET /api/agents?state=working&session=proj"), api.requests().toString());

      // explain, get_screen: a pane id, or a target found through the agents
      assertEquals("stalled", json(call("explain", Map.of("pane", "%3"))).path("rule").asText());
      assertEquals("stalled", json(call("explain", Map.of("pane", "proj:3.0"))).path("rule").asText());
      assertEquals("✻ Working… (esc to interrupt)", text(call("get_screen", Map.of("pane", "%3"))));

      // errors are tool errors with a message to act on; the session goes on
      assertTrue(error(call("explain", Map.of("pane", "%9"))).contains("no agent in pane %9"));
      assertTrue(error(call("explain", Map.of("pane", "nobody"))).contains("no agent has the pane id, target or "
          + "window name 'nobody'"));
      assertTrue(error(call("ack_report", Map.of("report", "twelve"))).contains("integer"));
      assertTrue(error(call("pending_reports", Map.of())).contains("older tmux-orc"), "an endpoint it lacks");
    } finally {
      api.close();
    }
    // the monitor gone: a tool error saying so, not a crash
    String gone = error(call("list_agents", Map.of()));
    assertTrue(gone.contains("no tmux-orc monitor is running") && gone.contains("monitor start"), gone);
    assertEquals(TOOLS.size(), client.listTools().tools().size(), "still serving");
  }

  private static List<String> panes(JsonNode list) {
    return java.util.stream.StreamSupport.stream(list.path("agents").spliterator(), false)
        .map(a -> a.path("paneId").asText()).toList();
  }

  @Test
  void sendMessageTypesIntoARealAgentsPromptExactlyOnceAndIsRefusedWhilePaused() throws Exception {
    tmux.session("work", "boot", TmuxServerFixture.IDLE_COMMAND);
    FakePrompt prompt = FakePrompt.open(tmux, "work", "claude-1", dir.resolve("prompt.jsonl"));
    String pane = prompt.pane().value();
    Config config = TestSettings.config(tmux.socket(), Map.of(
        "tmux-orc.journal.path", dir.resolve("journal.db").toString(),
        "tmux-orc.journal.flush-interval", "100ms",
        "tmux-orc.http.port", 0));
    Settings settings = Settings.from(config);
    Guardian.Wiring wiring = Guardian.Wiring.of(settings).withSurfaces(Surfaces.from(config));
    testKit = ActorTestKit.create();
    testKit.spawn(Guardian.create(settings, wiring), "guardian");
    URI url = URI.create(wiring.apiUrl().get(30, TimeUnit.SECONDS));
    // the tree runs in this JVM: the monitor record names a stand-in process that looks like tmux-orc
    BaseDir base = new BaseDir(dir.resolve("base"));
    FakeProcess process = FakeProcess.tmuxOrc(dir);
    try {
      new DaemonRecord(process.pid(), url.toString(), null, null, null, null, List.of()).write(base);
      HttpClient http = HttpClient.newHttpClient();
      await(() -> get(http, url, "/api/agents/" + pane.replace("%", "%25")),
          a -> "idle".equals(a.path("state").asText()), "the fake prompt discovered, idle");
      connect(base);

      JsonNode sent = json(call("send_message", Map.of("pane", pane, "text", "please run the tests")));
      assertEquals("delivered", sent.path("outcome").asText(), sent.toString());
      assertEquals(List.of("please run the tests"), prompt.awaitSubmitted(1, PATIENCE));
      Thread.sleep(1000);
      assertEquals(List.of("please run the tests"), prompt.submitted(), "exactly once");
      JsonNode action = await(() -> get(http, url, "/api/actions"), actions -> actions.size() > 0,
          "the message journalled").get(0);
      assertEquals("message", action.path("action").asText(), action.toString());
      assertEquals("delivered", action.path("outcome").asText(), action.toString());
      assertEquals(pane, action.path("paneId").asText(), action.toString());

      // paused: refused, nothing typed
      HttpResponse<String> paused = http.send(HttpRequest.newBuilder(url.resolve("/api/monitor/pause?duration=10m"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, paused.statusCode(), paused.body());
      String refused = error(call("send_message", Map.of("pane", pane, "text", "and then deploy")));
      assertTrue(refused.startsWith("paused: actions are paused"), refused);
      Thread.sleep(500);
      assertEquals(List.of("please run the tests"), prompt.submitted(), "nothing typed while paused");

      // PM reports off: nothing waits, and nothing can be acknowledged
      JsonNode reports = json(call("pending_reports", Map.of()));
      assertFalse(reports.path("pmReports").asBoolean(), reports.toString());
      assertTrue(error(call("ack_report", Map.of("report", 1))).contains("PM reports are off"));
      assertTrue(error(call("send_message", Map.of("pane", "%999", "text", "hi"))).contains("no agent in pane %999"));
    } finally {
      process.close();
    }
  }

  private static JsonNode get(HttpClient http, URI url, String path) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve(path)).build(),
          HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : Json.MAPPER.nullNode();
    } catch (Exception e) {
      return Json.MAPPER.nullNode();
    }
  }

  private static JsonNode await(Supplier<JsonNode> read, Predicate<JsonNode> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    fail("timed out waiting for " + what + "; last: " + last);
    return last;
  }
}
