package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark on a tiny fleet of its own (a private tmux server it starts and kills): the shape of its JSON. */
class BenchmarkCommandTest {

  @TempDir
  Path dir;

  @Test
  void jsonHasBothPooledVariantsTheBaselineAndTheSpeedUp() throws Exception {
    Path config = Files.writeString(dir.resolve("empty.conf"), "");
    ScanCommandTest.Run run = ScanCommandTest.cli("benchmark", "--agents", "3", "--compare", "--cycles", "2",
        "--warmup", "1", "--states", "working,idle", "--json", "-c", config.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertEquals(3, json.get("agents").asInt());
    assertEquals("working", json.get("states").get(0).asText());
    for (String field : new String[] {"p50Ms", "p95Ms"}) {
      assertTrue(json.get("pooled").get(field).asDouble() > 0, field);
      assertTrue(json.get("baseline").get(field).asDouble() > 0, field);
      assertTrue(json.get("pooledScreenReuse").get("cycle").get(field).asDouble() > 0, field);
    }
    assertTrue(json.get("speedup").asDouble() > 0);
    // Agents 1 and 3 hold a working screen, whose spinner redraws every second: only agent 2 (idle) may have its
    // screen reused, and only once its window has been quiet long enough, which the run may or may not reach.
    double reused = json.get("pooledScreenReuse").get("reusedPerCycle").asDouble();
    assertTrue(reused >= 0 && reused <= 1, "reused per cycle: " + reused);
  }

  @Test
  void anUnknownStateIsAUsageError() {
    ScanCommandTest.Run run = ScanCommandTest.cli("benchmark", "--states", "working,sleeping");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("unknown state 'sleeping'"), run.err());
  }
}
