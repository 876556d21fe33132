package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.ApiStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code health} and {@code status} against a running monitor's API with canned answers ({@link ApiStandIn}):
 * the verdict and its exit status, the token sent, and what each says when the monitor answers with an error.
 */
class HealthAndStatusCommandTest {

  private static final String HEALTHY = """
      {"version":"1.4.0","uptimeSeconds":59,"tmux":"tmux -L work","strategy":"event","ready":true,"paused":false,
       "cycles":{"total":10,"p50Ms":4.0,"p95Ms":9.0},
       "agents":{"total":1,"byState":{"idle":1},"byHealth":{"healthy":1,"critical":0,"unresponsive":0}},
       "pool":{"size":1,"available":true,"timeouts":0},
       "caches":[{"layer":"pane_content","size":1,"maxSize":10000,"hits":5,"misses":5,"hitRate":0.5}],
       "journal":{"enabled":true,"path":"/b/journal.db","writable":true}}""";

  @TempDir
  Path dir;

  private BaseDir base;
  private String config;

  @BeforeEach
  void isolate() throws Exception {
    base = new BaseDir(dir.resolve("base"));
    System.setProperty(BaseDir.PROPERTY, base.path().toString());
    config = Files.writeString(dir.resolve("token.conf"), "tmux-orc.http.token = \"s3cret\"\n").toString();
  }

  @AfterEach
  void restore() {
    System.clearProperty(BaseDir.PROPERTY);
  }

  @Test
  void aHealthyMonitorPassesEveryCheckWithExitStatusZeroAndGetsTheToken() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/status", 200, HEALTHY)) {
      ScanCommandTest.Run run = ScanCommandTest.cli("health", "-c", config);

      assertEquals(0, run.status(), run.out() + run.err());
      List<String> lines = run.out().lines().toList();
      assertEquals(9, lines.size(), run.out());
      assertTrue(lines.subList(0, 8).stream().allMatch(l -> l.startsWith("✓ ")), run.out());
      assertTrue(lines.get(0).matches("✓ tmux reachable +tmux -L work"), lines.get(0));
      assertEquals("healthy", lines.get(8));
      assertEquals(List.of("GET /api/status Bearer s3cret"), api.requests());
    }
  }

  @Test
  void aCriticalAgentMakesItUnhealthyWithExitStatusOne() throws Exception {
    String critical = HEALTHY.replace("\"healthy\":1,\"critical\":0", "\"healthy\":0,\"critical\":1");
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/status", 200, critical)) {
      ScanCommandTest.Run run = ScanCommandTest.cli("health", "-c", config);
      assertEquals(1, run.status(), run.out());
      assertTrue(run.out().lines().anyMatch(l -> l.matches("✗ agents critical +1 \\(limit 0\\)")), run.out());
      assertTrue(run.out().endsWith("NOT healthy\n"), run.out());

      JsonNode json = Json.MAPPER.readTree(ScanCommandTest.cli("health", "--json", "-c", config).out());
      assertEquals(false, json.path("healthy").asBoolean(true));
      assertEquals(8, json.path("checks").size(), json.toString());
    }
  }

  @Test
  void aMonitorAnsweringWithAnErrorIsNotHealthy() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base)
        .answer("/api/status", 500, "{\"error\":\"internal\",\"detail\":\"ask timed out\"}")) {
      ScanCommandTest.Run run = ScanCommandTest.cli("health", "-c", config);
      assertEquals(1, run.status(), run.out());
      assertTrue(run.out().startsWith("✗ monitor answers"), run.out());
      assertTrue(run.out().contains("GET /api/status answered 500") && run.out().contains("ask timed out"),
          run.out());
    }
  }

  @Test
  void statusShowsTheMonitorsAgentsAndJsonNamesTheMonitorAsItsSource() throws Exception {
    AgentView agent = new AgentView("%7", "proj:1.0", "proj", 1, "claude-1", 0, "agent", "claude", "waiting", "working",
        "healthy", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", null, List.of(), "claude", 42, false, Map.of(),
        null);
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/status", 200, HEALTHY)
        .answer("/api/agents", 200, Json.MAPPER.writeValueAsString(List.of(agent)))) {
      ScanCommandTest.Run run = ScanCommandTest.cli("status", "-c", config);
      assertEquals(0, run.status(), run.err());
      assertEquals("", run.err(), "no note: the monitor answered");
      List<String> lines = run.out().lines().toList();
      assertEquals("tmux-orc monitor 1.4.0 at " + api.url() + ": strategy event, up 59s", lines.get(0));
      assertTrue(lines.get(2).matches("proj:1\\.0 +%7 +agent +claude +waiting +healthy .*claude-1.*"), run.out());

      JsonNode json = Json.MAPPER.readTree(ScanCommandTest.cli("status", "--json", "-c", config).out());
      assertEquals("monitor", json.path("source").asText());
      assertEquals("event", json.path("status").path("strategy").asText());
      assertEquals("%7", json.path("agents").get(0).path("paneId").asText());
      assertTrue(api.requests().stream().allMatch(r -> r.endsWith(" Bearer s3cret")), api.requests().toString());
    }
  }

  @Test
  void statusFailsWithExitStatusOneWhenTheMonitorAnswersWithAnError() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/status", 200, HEALTHY)
        .answer("/api/agents", 503, "{\"error\":\"service unavailable\"}")) {
      ScanCommandTest.Run run = ScanCommandTest.cli("status", "-c", config);
      assertEquals(1, run.status(), run.out());
      assertTrue(run.err().contains("the monitor at " + api.url() + " answered 503"), run.err());
      assertEquals("", run.out(), "no half a table");
    }
  }
}
