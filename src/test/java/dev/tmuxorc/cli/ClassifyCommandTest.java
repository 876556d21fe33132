package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code classify} reports every fixture's label through the command line, the way a user runs it. */
class ClassifyCommandTest {

  @TempDir
  Path dir;

  static Stream<Path> fixtures() throws Exception {
    Path shared = Path.of("..", "shared", "fixtures", "screens");
    Path own = Path.of("src", "test", "resources", "screens");
    Stream<Path> ownFiles = Files.list(own).filter(p -> !p.getFileName().toString().contains("--codex--")
        && !p.getFileName().toString().contains("--aider--") && !p.getFileName().toString().contains("--gemini--"));
    return Files.isDirectory(shared) ? Stream.concat(Files.list(shared), ownFiles) : ownFiles;
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void everyClaudeFixtureClassifiesAsItsLabel(Path fixture) throws Exception {
    String label = fixture.getFileName().toString().split("--")[0];
    ScanCommandTest.Run run = ScanCommandTest.cli("classify", fixture.toString(), "--json");
    assertEquals(0, run.status(), run.err());
    JsonNode json = Json.MAPPER.readTree(run.out());
    assertEquals(label, json.get("state").asText(), fixture + "\n" + run.out());
    assertTrue(json.has("evidence"));
    assertTrue(json.has("resetAt"));
  }

  @Test
  void theTextOutputNamesStateAndEvidence() {
    ScanCommandTest.Run run = ScanCommandTest.cli("classify",
        "src/test/resources/screens/rate_limited--usage-limit-reset-utc.txt");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("rate_limited\n"), run.out());
    assertTrue(run.out().contains("rate-limited: line"), run.out());
    assertTrue(run.out().contains("resets at"), run.out());
  }

  @Test
  void unreadableInputExitsWithTwo() {
    ScanCommandTest.Run missing = ScanCommandTest.cli("classify", dir.resolve("nope.txt").toString());
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("cannot read"), missing.err());
    assertEquals(2, ScanCommandTest.cli("classify", dir.toString()).status());
    assertEquals(2, ScanCommandTest.cli("classify", "--kind", "vim", dir.toString()).status());
  }

  @Test
  void otherKindsUseTheirOwnMarkers() throws Exception {
    Path codex = Files.list(Path.of("src", "test", "resources", "screens"))
        .filter(p -> p.getFileName().toString().contains("--codex--")).findFirst().orElseThrow();
    String label = codex.getFileName().toString().split("--")[0];
    ScanCommandTest.Run run = ScanCommandTest.cli("classify", "--kind", "codex", codex.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith(label + "\n"), run.out());
  }
}
