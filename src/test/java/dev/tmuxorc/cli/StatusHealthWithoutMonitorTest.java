package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} and {@code health} when no monitor runs (an empty base directory of the test's own): status
 * falls back on a one-shot scan of a private tmux server and says so on stderr; health is not healthy.
 */
class StatusHealthWithoutMonitorTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  private String config;

  @BeforeEach
  void isolate() throws Exception {
    // never the user's ~/.tmux-orchestrator: a monitor recorded there would be found
    System.setProperty(BaseDir.PROPERTY, dir.resolve("base").toString());
    config = Files.writeString(dir.resolve("empty.conf"), "").toString();
  }

  @AfterEach
  void restore() {
    System.clearProperty(BaseDir.PROPERTY);
  }

  @Test
  void statusWithoutAMonitorScansOnceAndSaysSo() {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("proj", "logs", TmuxServerFixture.IDLE_COMMAND); // not an agent
    String pane = tmux.paneId("proj:claude-1");

    ScanCommandTest.Run run = ScanCommandTest.cli("status", "-L", tmux.socket(), "-c", config);

    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains("no monitor is running") && run.err().contains("a one-shot scan instead")
        && run.err().contains("tmux-orc monitor start"), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).startsWith("TARGET") && lines.get(0).contains("STATE"), run.out());
    assertEquals(1, lines.stream().filter(l -> l.contains(" " + pane + " ")).count(), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.contains("claude-1") && l.contains(" agent ")), run.out());
    assertFalse(run.out().contains("logs"), "only agents: " + run.out());
    assertEquals("1 agent(s)", lines.get(lines.size() - 1));

    // --detailed has nothing to add without a monitor, and the note says where the details come from
    ScanCommandTest.Run detailed = ScanCommandTest.cli("status", "--detailed", "-L", tmux.socket(), "-c", config);
    assertEquals(0, detailed.status(), detailed.err());
    assertTrue(detailed.err().contains("`tmux-orc monitor start` for the details"), detailed.err());
    assertFalse(detailed.out().contains("cycles:"), detailed.out());
  }

  @Test
  void statusJsonWithoutAMonitorNamesTheScanAsItsSource() throws Exception {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);

    ScanCommandTest.Run run = ScanCommandTest.cli("status", "--json", "-L", tmux.socket(), "-c", config);

    assertEquals(0, run.status(), run.err());
    JsonNode json = Json.MAPPER.readTree(run.out()); // stdout is JSON alone: the note went to stderr
    assertEquals("scan", json.path("source").asText());
    assertTrue(json.path("status").isNull(), run.out());
    assertEquals(1, json.path("agents").size(), run.out());
    JsonNode agent = json.path("agents").get(0);
    assertEquals(tmux.paneId("proj:claude-1"), agent.path("paneId").asText());
    assertEquals("claude-1", agent.path("windowName").asText());
    assertEquals("agent", agent.path("role").asText());
    assertTrue(run.err().contains("no monitor is running"), run.err());
  }

  @Test
  void statusWithoutAMonitorOrATmuxServerFailsWithExitStatusOne() {
    // the fixture's socket names a server that was never started
    ScanCommandTest.Run run = ScanCommandTest.cli("status", "-L", tmux.socket(), "-c", config);
    assertEquals(1, run.status(), run.out() + run.err());
    assertTrue(run.err().contains("cannot scan"), run.err());
  }

  @Test
  void healthWithoutAMonitorIsNotHealthy() throws Exception {
    ScanCommandTest.Run run = ScanCommandTest.cli("health", "-c", config);
    assertEquals(1, run.status(), run.out() + run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.get(0).startsWith("✗ monitor running"), run.out());
    assertTrue(lines.get(0).contains("not running"), run.out());
    assertEquals("NOT healthy", lines.get(lines.size() - 1));

    ScanCommandTest.Run json = ScanCommandTest.cli("health", "--json", "-c", config);
    assertEquals(1, json.status());
    JsonNode report = Json.MAPPER.readTree(json.out());
    assertFalse(report.path("healthy").asBoolean(true));
    assertEquals("monitor running", report.path("checks").get(0).path("name").asText());
    assertFalse(report.path("checks").get(0).path("ok").asBoolean(true));
  }
}
