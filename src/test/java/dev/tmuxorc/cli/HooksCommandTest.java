package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.hooks.ClaudeSettings;
import dev.tmuxorc.hooks.HookForm;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.ApiStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HooksCommandTest {

  /** Someone else's settings: their hooks on some of our events, other keys around, in an order of their own. */
  private static final String THEIRS = """
      {
        "model": "opus",
        "hooks": {
          "PreToolUse": [
            {
              "matcher": "Bash",
              "hooks": [
                {
                  "type": "command",
                  "command": "/usr/local/bin/guard.sh"
                }
              ]
            }
          ],
          "Stop": [
            {
              "hooks": [
                {
                  "type": "command",
                  "command": "notify-send done",
                  "timeout": 10
                }
              ]
            }
          ],
          "PostToolUseFailure": [
            {
              "hooks": [
                {
                  "type": "http",
                  "url": "http://localhost:9000/audit"
                }
              ]
            }
          ]
        },
        "permissions": {
          "allow": [
            "Bash(ls:*)"
          ],
          "deny": []
        },
        "env": {
          "FOO": "1"
        }
      }
      """;

  @TempDir
  Path dir;

  private Path settings;
  private String emptyConfig;

  @BeforeEach
  void isolate() throws Exception {
    // never the user's ~/.claude nor ~/.tmux-orchestrator
    System.setProperty(ClaudeSettings.CONFIG_DIR_PROPERTY, dir.resolve("claude-home").toString());
    System.setProperty(BaseDir.PROPERTY, dir.resolve("base").toString());
    settings = dir.resolve("claude-home").resolve("settings.json");
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, THEIRS);
    emptyConfig = Files.writeString(dir.resolve("empty.conf"), "").toString();
  }

  @AfterEach
  void restore() {
    System.clearProperty(ClaudeSettings.CONFIG_DIR_PROPERTY);
    System.clearProperty(BaseDir.PROPERTY);
  }

  private ScanCommandTest.Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of("-c", emptyConfig));
    all.addAll(List.of(args));
    return ScanCommandTest.cli(all.toArray(String[]::new));
  }

  private List<Path> backups() throws Exception {
    try (Stream<Path> files = Files.list(settings.getParent())) {
      return files.filter(f -> f.getFileName().toString().startsWith("settings.json.bak-")).toList();
    }
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void installKeepsEveryoneElsesHooksAndKeysAddsOursOnceAndBacksUpOnce() throws Exception {
    ScanCommandTest.Run first = cli("hooks", "install", "--form", "curl", "--url", "http://127.0.0.1:9999");
    assertEquals(0, first.status(), first.err());
    JsonNode before = Json.MAPPER.readTree(THEIRS);
    JsonNode after = Json.MAPPER.readTree(settings.toFile());

    assertEquals(List.of("model", "hooks", "permissions", "env"), names(after), "their keys, their order");
    for (String key : List.of("model", "permissions", "env")) {
      assertEquals(before.get(key), after.get(key));
    }
    JsonNode hooks = after.get("hooks");
    assertEquals(before.get("hooks").get("PreToolUse").get(0), hooks.get("PreToolUse").get(0), "theirs first");
    assertEquals(before.get("hooks").get("Stop").get(0), hooks.get("Stop").get(0));
    assertEquals(before.get("hooks").get("PostToolUseFailure"), hooks.get("PostToolUseFailure"));
    assertEquals(List.of("PreToolUse", "Stop", "PostToolUseFailure"), names(hooks).subList(0, 3));
    List<ClaudeSettings.Entry> ours = ClaudeSettings.read(settings).ours();
    assertEquals(ClaudeSettings.EVENTS, ours.stream().map(ClaudeSettings.Entry::event).sorted(
        java.util.Comparator.comparing(ClaudeSettings.EVENTS::indexOf)).toList(), "one of ours per event");
    assertTrue(ours.stream().allMatch(e -> e.form() == HookForm.CURL
        && e.target().equals("http://127.0.0.1:9999/api/hooks/claude")), ours.toString());
    assertEquals("*", hooks.get("PreToolUse").get(1).get("matcher").asText());
    assertFalse(hooks.get("Stop").get(1).has("matcher"), "no matcher: every Stop");
    List<Path> backups = backups();
    assertEquals(1, backups.size());
    assertEquals(THEIRS, Files.readString(backups.get(0)));
    assertTrue(first.out().contains("installed tmux-orc's hooks (curl -> http://127.0.0.1:9999/api/hooks/claude)"
        + " for 11 events in " + settings), first.out());

    String installed = Files.readString(settings);
    ScanCommandTest.Run second = cli("hooks", "install", "--form", "curl", "--url", "http://127.0.0.1:9999");
    assertEquals(0, second.status(), second.err());
    assertEquals(installed, Files.readString(settings), "installing twice = installing once");
    assertEquals(1, backups().size(), "nothing written, nothing backed up");
    assertTrue(second.out().contains("nothing changed"), second.out());
  }

  @Test
  void uninstallRemovesExactlyOursAndWhatOnlyOursHeld() throws Exception {
    assertEquals(0, cli("hooks", "install", "--url", "http://127.0.0.1:9999").status());
    ScanCommandTest.Run run = cli("hooks", "uninstall");

    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("removed 11 tmux-orc hook(s) from " + settings), run.out());
    JsonNode after = Json.MAPPER.readTree(settings.toFile());
    assertEquals(Json.MAPPER.readTree(THEIRS), after);
    assertEquals(names(Json.MAPPER.readTree(THEIRS).get("hooks")), names(after.get("hooks")));
    assertEquals(THEIRS, Files.readString(settings), "the same file again, byte for byte (it was in our format)");
    assertEquals(2, backups().size(), "one per change");

    ScanCommandTest.Run again = cli("hooks", "uninstall");
    assertTrue(again.out().contains("nothing changed"), again.out());
    assertEquals(2, backups().size());
  }

  @Test
  void uninstallTakesOursOutOfAGroupItSharesWithSomeoneElse() throws Exception {
    ObjectNode root = (ObjectNode) Json.MAPPER.readTree(THEIRS);
    ((ObjectNode) root.get("hooks").get("Stop").get(0)).withArray("hooks")
        .add(HookForm.COMMAND.handler("claude", null, "/opt/tmux-orc/bin/tmux-orc", false));
    Files.writeString(settings, Json.PRETTY.writeValueAsString(root));

    assertEquals(0, cli("hooks", "uninstall").status());
    assertEquals(Json.MAPPER.readTree(THEIRS), Json.MAPPER.readTree(settings.toFile()));
  }

  @Test
  void dryRunPrintsTheResultAndWritesNothing() throws Exception {
    ScanCommandTest.Run run = cli("hooks", "install", "--dry-run", "--url", "http://127.0.0.1:9999");

    assertEquals(0, run.status(), run.err());
    assertEquals(THEIRS, Files.readString(settings));
    assertEquals(List.of(), backups());
    JsonNode printed = Json.MAPPER.readTree(run.out());
    assertEquals("http", printed.get("hooks").get("SessionEnd").get(0).get("hooks").get(0).get("type").asText());
    assertTrue(run.err().contains("dry run: nothing written"), run.err());

    assertEquals(0, cli("hooks", "install", "--url", "http://127.0.0.1:9999").status());
    String installed = Files.readString(settings);
    ScanCommandTest.Run uninstall = cli("hooks", "uninstall", "--dry-run");
    assertEquals(installed, Files.readString(settings));
    assertEquals(Json.MAPPER.readTree(THEIRS), Json.MAPPER.readTree(uninstall.out()));
  }

  @Test
  void theHttpFormIsClaudeCodesOwnPostWithThePaneFromTheEnvironment() throws Exception {
    assertEquals(0, cli("hooks", "install", "--url", "http://127.0.0.1:8585/").status());
    JsonNode handler = Json.MAPPER.readTree(settings.toFile()).get("hooks").get("Notification").get(0)
        .get("hooks").get(0);

    assertEquals(Json.MAPPER.readTree("""
        {"type": "http", "url": "http://127.0.0.1:8585/api/hooks/claude", "timeout": 1,
         "headers": {"X-Tmux-Pane": "$TMUX_PANE"}, "allowedEnvVars": ["TMUX_PANE"]}"""), handler);
  }

  @Test
  void withATokenConfiguredTheHooksSendItFromTheEnvironmentNeverWrittenDown() throws Exception {
    String config = Files.writeString(dir.resolve("token.conf"), "tmux-orc.http.token = \"s3cret\"\n").toString();
    ScanCommandTest.Run run = ScanCommandTest.cli("-c", config, "hooks", "install", "--url", "http://h:1");
    assertEquals(0, run.status(), run.err());
    JsonNode handler = Json.MAPPER.readTree(settings.toFile()).get("hooks").get("Stop").get(1).get("hooks").get(0);
    assertEquals("Bearer $TMUX_ORC_HTTP_TOKEN", handler.get("headers").get("Authorization").asText());
    assertEquals(List.of("TMUX_PANE", "TMUX_ORC_HTTP_TOKEN"),
        Json.MAPPER.convertValue(handler.get("allowedEnvVars"), List.class));

    assertEquals(0, ScanCommandTest.cli("-c", config, "hooks", "install", "--form", "curl", "--url", "http://h:1")
        .status());
    String curl = Json.MAPPER.readTree(settings.toFile()).get("hooks").get("Stop").get(1).get("hooks").get(0)
        .get("command").asText();
    assertTrue(curl.contains("-H \"Authorization: Bearer $TMUX_ORC_HTTP_TOKEN\""), curl);
    assertFalse(Files.readString(settings).contains("s3cret"));
  }

  @Test
  void theCurlAndCommandFormsAndSwitchingBetweenForms() throws Exception {
    assertEquals(0, cli("hooks", "install", "--form", "curl", "--url", "http://127.0.0.1:8585").status());
    JsonNode curl = Json.MAPPER.readTree(settings.toFile()).get("hooks").get("UserPromptSubmit").get(0)
        .get("hooks").get(0);
    assertEquals(Json.MAPPER.readTree("""
        {"type": "command", "command": "curl -s -m 0.5 -o /dev/null -X POST -H 'Content-Type: application/json' \
        -H \\"X-Tmux-Pane: $TMUX_PANE\\" -H \\"X-Hook-Pids: $PPID\\" --data-binary @- \
        'http://127.0.0.1:8585/api/hooks/claude' || true", "timeout": 1}"""), curl);

    assertEquals(0, cli("hooks", "install", "--form", "command").status());
    List<ClaudeSettings.Entry> ours = ClaudeSettings.read(settings).ours();
    assertEquals(11, ours.size(), "the other form replaced, not added: " + ours);
    JsonNode command = Json.MAPPER.readTree(settings.toFile()).get("hooks").get("Stop").get(1).get("hooks").get(0);
    assertEquals("command", command.get("type").asText());
    assertTrue(command.get("command").asText().endsWith(" -c " + Path.of(emptyConfig).toAbsolutePath()
        + " hook claude"), command.toString());
    assertEquals(5, command.get("timeout").asInt());
    assertTrue(ours.stream().allMatch(e -> e.form() == HookForm.COMMAND), ours.toString());
  }

  @Test
  void aProjectsSettingsAndAFileThatDoesNotExistYet() throws Exception {
    Path project = dir.resolve("project");
    ScanCommandTest.Run run = cli("hooks", "install", "--project", project.toString(), "--url", "http://h:1");

    assertEquals(0, run.status(), run.err());
    Path file = project.resolve(".claude/settings.json");
    assertEquals(List.of("hooks"), names(Json.MAPPER.readTree(file.toFile())));
    assertFalse(run.out().contains("previous file"), "nothing to back up");
    assertEquals(THEIRS, Files.readString(settings), "the user's file untouched");

    assertEquals(0, cli("hooks", "uninstall", "--project", project.toString()).status());
    assertEquals("{}\n", Files.readString(file));
  }

  @Test
  void aSettingsFileThatIsNotJsonIsLeftAlone() throws Exception {
    Files.writeString(settings, "{\"hooks\": [oops");
    ScanCommandTest.Run run = cli("hooks", "install", "--url", "http://h:1");

    assertEquals(2, run.status());
    assertTrue(run.err().contains("is not valid JSON"), run.err());
    assertEquals("{\"hooks\": [oops", Files.readString(settings));
    assertEquals(List.of(), backups());
  }

  @Test
  void statusNamesTheFilesTheFormAndEachAgentsHookFlow() throws Exception {
    assertEquals(0, cli("hooks", "install", "--form", "curl", "--url", "http://127.0.0.1:9999").status());
    BaseDir base = new BaseDir(dir.resolve("base"));
    String agents = """
        [{"paneId":"%3","target":"w:1.0","kind":"claude",
          "hooks":{"lastAt":"2026-11-30T09:00:00Z","events":42,"lastEvent":"Stop","silent":true}},
         {"paneId":"%4","target":"w:2.0","kind":"codex"}]""";
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/agents", 200, agents)) {
      ScanCommandTest.Run run = cli("hooks", "status");
      assertEquals(0, run.status(), run.err());
      assertTrue(run.out().contains("user     " + settings + ": 11/11 events, curl -> "
          + "http://127.0.0.1:9999/api/hooks/claude"), run.out());
      assertTrue(run.out().contains("monitor  " + api.url() + ": 2 agent(s)"), run.out());
      assertTrue(run.out().matches("(?s).*%3 +w:1\\.0 +claude +last hook: 2026-11-30T09:00:00Z, events: 42  SILENT: the "
          + "screen decides alone.*"), run.out());
      assertTrue(run.out().matches("(?s).*%4 +w:2\\.0 +codex +last hook: none, events: 0.*"), run.out());

      JsonNode json = Json.MAPPER.readTree(cli("hooks", "status", "--json").out());
      assertEquals("user", json.get("settings").get(0).get("scope").asText());
      assertEquals(11, json.get("settings").get(0).get("events").size());
      assertEquals("curl", json.get("settings").get(0).get("forms").get(0).asText());
      assertEquals(42, json.get("monitor").get("agents").get(0).get("hookEvents").asInt());
      assertTrue(json.get("monitor").get("agents").get(1).get("lastHookAt").isNull());
      assertTrue(json.get("monitor").get("agents").get(0).get("hooksSilent").asBoolean());
    }
    ScanCommandTest.Run alone = cli("hooks", "status");
    assertTrue(alone.out().contains("monitor  not running"), alone.out());
  }

  @Test
  void theDefaultFormIsHttpToTheRunningMonitor() throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    try (ApiStandIn api = ApiStandIn.start(dir, base)) {
      assertEquals(0, cli("hooks", "install").status());
      List<ClaudeSettings.Entry> ours = ClaudeSettings.read(settings).ours();
      assertTrue(ours.stream().allMatch(e -> e.form() == HookForm.HTTP
          && e.target().equals(api.url() + "/api/hooks/claude")), ours.toString());
    }
  }
}
