package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mcp install}: our entry in a project's .mcp.json, others' kept, idempotent, a backup before a change. */
class McpInstallCommandTest {

  private static final String THEIRS = """
      {
        "mcpServers": {
          "github": { "command": "npx", "args": [ "-y", "@modelcontextprotocol/server-github" ] },
          "tmux-orc": { "command": "/old/tmux-orc", "args": [ "mcp" ] }
        },
        "note": "kept"
      }
      """;

  @TempDir
  Path dir;

  private Path launcher;

  @BeforeEach
  void isolate() {
    launcher = dir.resolve("tmux-orc").resolve("bin").resolve("tmux-orc");
    System.setProperty(Launcher.LAUNCHER_PROPERTY, launcher.toString());
    System.setProperty(BaseDir.PROPERTY, dir.resolve("base").toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(Launcher.LAUNCHER_PROPERTY);
    System.clearProperty(BaseDir.PROPERTY);
  }

  private List<Path> backups() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(".mcp.json.bak-")).toList();
    }
  }

  @Test
  void writesOurEntryKeepingTheirsOnceWithABackup() throws Exception {
    Path file = dir.resolve(".mcp.json");
    Files.writeString(file, THEIRS);

    ScanCommandTest.Run dry = ScanCommandTest.cli("mcp", "install", "--project", dir.toString(), "--dry-run");
    assertEquals(0, dry.status(), dry.out() + dry.err());
    assertEquals(THEIRS, Files.readString(file), "a dry run writes nothing");
    assertTrue(dry.out().contains(launcher.toString()) && dry.err().contains("dry run"), dry.out() + dry.err());

    ScanCommandTest.Run install = ScanCommandTest.cli("mcp", "install", "--project", dir.toString());
    assertEquals(0, install.status(), install.out() + install.err());
    JsonNode after = Json.MAPPER.readTree(file.toFile());
    JsonNode before = Json.MAPPER.readTree(THEIRS);
    assertEquals(before.get("note"), after.get("note"));
    assertEquals(before.path("mcpServers").get("github"), after.path("mcpServers").get("github"));
    assertEquals(List.of("github", "tmux-orc"), names(after.path("mcpServers")), "theirs first, ours in place");
    JsonNode ours = after.path("mcpServers").path("tmux-orc");
    assertEquals("stdio", ours.path("type").asText());
    assertEquals(launcher.toString(), ours.path("command").asText());
    assertEquals(List.of("mcp"), strings(ours.path("args")));
    assertEquals(dir.resolve("base").toString(), ours.path("env").path(BaseDir.ENV_VAR).asText(),
        "the base directory it runs with, passed on");
    List<Path> backups = backups();
    assertEquals(1, backups.size(), backups.toString());
    assertEquals(THEIRS, Files.readString(backups.get(0)));

    String written = Files.readString(file);
    ScanCommandTest.Run again = ScanCommandTest.cli("mcp", "install", "--project", dir.toString());
    assertEquals(0, again.status(), again.out() + again.err());
    assertTrue(again.out().contains("nothing changed"), again.out());
    assertEquals(written, Files.readString(file));
    assertEquals(1, backups().size(), "no change, no backup");
  }

  @Test
  void anAbsentFileIsCreatedAndAnUnreadableOneLeftAlone() throws Exception {
    Path project = Files.createDirectories(dir.resolve("fresh"));
    ScanCommandTest.Run install = ScanCommandTest.cli("mcp", "install", "--project", project.toString(),
        "-c", dir.resolve("my.conf").toString());
    assertEquals(0, install.status(), install.out() + install.err());
    JsonNode ours = Json.MAPPER.readTree(project.resolve(".mcp.json").toFile()).path("mcpServers").path("tmux-orc");
    assertEquals(List.of("-c", dir.resolve("my.conf").toString(), "mcp"), strings(ours.path("args")));

    Path broken = Files.createDirectories(dir.resolve("broken"));
    Files.writeString(broken.resolve(".mcp.json"), "{ not json");
    ScanCommandTest.Run refused = ScanCommandTest.cli("mcp", "install", "--project", broken.toString());
    assertEquals(2, refused.status(), refused.out() + refused.err());
    assertTrue(refused.err().contains("not valid JSON"), refused.err());
    assertEquals("{ not json", Files.readString(broken.resolve(".mcp.json")));
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new java.util.ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
