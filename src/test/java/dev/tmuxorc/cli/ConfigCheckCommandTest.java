package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCheckCommandTest {

  @TempDir
  Path dir;

  @Test
  void aValidFileShowsEachSettingAndWhereItCameFrom() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"), "tmux-orc.monitoring.poll-interval = 2s\n");
    ScanCommandTest.Run run = ScanCommandTest.cli("config", "check", "-c", file.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("configuration: " + file + "\nvalid\n"), run.out());
    assertTrue(run.out().contains("tmux-orc.monitoring.poll-interval = 2s   # " + file + ": 1"), run.out());
    assertTrue(run.out().contains("tmux-orc.monitoring.check-interval = 10s   # default"), run.out());
    assertTrue(run.out().contains("tmux-orc.http.port = 8585   # default"), run.out());
    assertTrue(run.out().contains("tmux-orc.http.host = 127.0.0.1   # default"), run.out());
    assertFalse(run.out().contains("tmux-orc.detection.claude"), "markers only with --all");
    assertTrue(ScanCommandTest.cli("config", "check", "--all", "-c", file.toString()).out()
        .contains("tmux-orc.detection."));
  }

  @Test
  void aTokenIsNeverPrinted() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"), "tmux-orc.http.token = \"s3cret-t0ken\"\n");
    for (String[] args : new String[][] {{"config", "check", "-c", file.toString()},
        {"config", "check", "--json", "-c", file.toString()}}) {
      ScanCommandTest.Run run = ScanCommandTest.cli(args);
      assertEquals(0, run.status(), run.err());
      assertFalse(run.out().contains("s3cret-t0ken"), run.out());
      assertTrue(run.out().contains(ConfigCheckCommand.REDACTED), run.out());
    }
  }

  @Test
  void unknownKeysAreWarnedAboutWithTheClosestValidKey() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"), "tmux-orc.monitring.poll-interval = 2s\n");
    ScanCommandTest.Run run = ScanCommandTest.cli("config", "check", "-c", file.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("warning: unknown configuration key tmux-orc.monitring.poll-interval"),
        run.out());
    assertTrue(run.out().contains("did you mean tmux-orc.monitoring.poll-interval?"), run.out());
  }

  @Test
  void anInvalidFileExitsWithTwoAndNamesTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"), "tmux-orc.monitoring.pool.max-size = 0\n");
    ScanCommandTest.Run run = ScanCommandTest.cli("config", "check", "-c", file.toString());
    assertEquals(2, run.status());
    assertTrue(run.err().startsWith("tmux-orc: invalid configuration: tmux-orc.monitoring.pool.max-size"),
        run.err());

    ScanCommandTest.Run json = ScanCommandTest.cli("config", "check", "--json", "-c", file.toString());
    assertEquals(2, json.status());
    JsonNode node = Json.MAPPER.readTree(json.out());
    assertFalse(node.get("valid").asBoolean());
    assertTrue(node.get("error").asText().contains("tmux-orc.monitoring.pool.max-size"));

    Path malformed = Files.writeString(dir.resolve("bad.conf"), "tmux-orc { monitoring = \n");
    assertEquals(2, ScanCommandTest.cli("config", "check", "-c", malformed.toString()).status());
    assertEquals(2, ScanCommandTest.cli("config", "check", "-c", dir.resolve("missing.conf").toString()).status());
  }

  @Test
  void jsonListsValuesWithOrigins() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"), "tmux-orc.monitoring.strategy = concurrent\n");
    ScanCommandTest.Run run = ScanCommandTest.cli("config", "check", "--json", "-L", "work", "-c", file.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode settings = Json.MAPPER.readTree(run.out()).get("settings");
    assertEquals("concurrent", settings.get("tmux-orc.monitoring.strategy").get("value").asText());
    assertTrue(settings.get("tmux-orc.monitoring.strategy").get("origin").asText().contains("app.conf"));
    assertEquals("work", settings.get("tmux-orc.tmux.socket-name").get("value").asText());
    assertEquals("command-line flags", settings.get("tmux-orc.tmux.socket-name").get("origin").asText());
    assertEquals("default", settings.get("tmux-orc.monitoring.poll-interval").get("origin").asText());
  }
}
