package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertEquals(3, json.get("agents").asInt());
    assertEquals("working", json.get("states").get(0).asText());
    for (String field : new String[] {"p50Ms", "p95Ms"}) {
      assertTrue(json.get("pooled").get(field).asDouble() > 0, field);
      assertTrue(json.get("baseline").get(field).asDouble() > 0, field);
      assertTrue(json.get("pooledScreenReuse").get("cycle").get(field).asDouble() > 0, field);
    }
    assertTrue(json.get("speedup").asDouble() > 0);
    assertTrue(json.get("pooledScreenReuse").get("reusedPerCycle").asDouble() >= 0);
  }

  @Test
  void anUnknownStateIsAUsageError() {
    ScanCommandTest.Run run = ScanCommandTest.cli("benchmark", "--states", "working,sleeping");
    assertEquals(2, run.status());
    assertTrue(run.err().contains("unknown state 'sleeping'"), run.err());
  }
}
