package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScanCommandTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  private Path emptyConfig;

  @BeforeEach
  void start() throws Exception {
    emptyConfig = Files.writeString(dir.resolve("empty.conf"), "");
  }

  /** Runs the CLI in-process; returns exit status, stdout and stderr. */
  static Run cli(String... args) {
    CommandLine commandLine = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out));
    commandLine.setErr(new PrintWriter(err));
    int status = commandLine.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  record Run(int status, String out, String err) { }

  /**
   * The journal's entries as {@code tmux-orc events --json -n 0 -c conf [filter...]} prints them from the file: the
   * daemon end-to-end tests' way of reading what was journalled.
   */
  static List<JsonNode> journal(String conf, String... filter) {
    List<String> args = new ArrayList<>(List.of("events", "--json", "-n", "0", "-c", conf));
    args.addAll(List.of(filter));
    Run run = cli(args.toArray(String[]::new));
    assertEquals(0, run.status(), run.err());
    List<JsonNode> entries = new ArrayList<>();
    for (String line : run.out().lines().filter(l -> !l.isBlank()).toList()) {
      try {
        entries.add(Json.MAPPER.readTree(line));
      } catch (IOException e) {
        fail("not a JSON line: " + line);
      }
    }
    return entries;
  }

  /** A binary whose file name is {@code name}, so that #{pane_current_command} reads it (a copy of sleep). */
  private String binary(String name) throws Exception {
    Path bin = dir.resolve("bin");
    Files.createDirectories(bin);
    Path file = bin.resolve(name);
    if (!Files.exists(file)) {
      Files.copy(Path.of("/bin/sleep"), file, StandardCopyOption.REPLACE_EXISTING);
      file.toFile().setExecutable(true);
    }
    return "exec '" + file + "' 100000";
  }

  @Test
  void sixtyWindowsOverThreeSessionsYieldExactlyTheAgentsAndThePms() throws Exception {
    String idle = TmuxServerFixture.IDLE_COMMAND;
    Map<String, String> expected = new TreeMap<>(); // "session/window" -> "role kind"
    String[] sessions = {"alpha", "beta", "gamma"};
    String[] pmNames = {"pm", "project-manager", "manager"};
    for (int s = 0; s < 3; s++) {
      String session = sessions[s];
      tmux.session(session, pmNames[s], idle);
      expected.put(session + "/" + pmNames[s], "pm unknown");
      for (int w = 1; w < 20; w++) {
        String name;
        String command = idle;
        String expectation = null;
        switch (w % 10) {
          case 1 -> { name = "w" + w; command = binary("claude"); expectation = "agent claude"; }
          case 2 -> { name = "claude-" + w; expectation = "agent claude"; }
          case 3 -> { name = "npm-dev-" + w; }
          case 4 -> { name = "developer-" + w; expectation = "agent unknown"; }
          case 5 -> { name = "logs-" + w; }
          case 6 -> { name = "x" + w; command = binary("codex"); expectation = "agent codex"; }
          case 7 -> { name = "qa-" + w; expectation = "agent unknown"; }
          case 8 -> { name = "misc-" + w; expectation = "agent unknown"; }
          case 9 -> { name = "pm2-" + w; }
          default -> { name = "shell-" + w; }
        }
        String pane = tmux.window(session, name, command);
        if (w % 10 == 8) {
          tmux.tmux("set-option", "-p", "-t", pane, "@tmux-orc-role", "agent");
        }
        if (w == 12) {
          tmux.tmux("set-option", "-w", "-t", pane, "@tmux-orc-role", "ignore");
          expectation = null;
        }
        if (expectation != null) {
          expected.put(session + "/" + name, expectation);
        }
      }
    }
    // A second PM candidate in alpha is watched as an agent.
    tmux.window("alpha", "pm-backup", idle);
    expected.put("alpha/pm-backup", "agent unknown");

    Run run = cli("--config", emptyConfig.toString(), "scan", "--json", "--socket", tmux.socket());
    assertEquals(0, run.status(), run.err());
    JsonNode agents = Json.MAPPER.readTree(run.out());
    Map<String, String> actual = new TreeMap<>();
    for (JsonNode agent : agents) {
      actual.put(agent.get("session").asText() + "/" + agent.get("windowName").asText(),
          agent.get("role").asText() + " " + agent.get("kind").asText());
      for (String field : new String[] {"paneId", "target", "windowIndex", "state", "lastChange", "health", "since",
          "evidence"}) {
        assertTrue(agent.has(field), "missing " + field);
      }
      assertTrue(agent.get("paneId").asText().startsWith("%"));
      assertTrue(agent.get("target").asText().matches("[a-z]+:\\d+\\.0"));
    }
    assertEquals(expected, actual);
    assertEquals(3, agents.findValues("role").stream().filter(r -> r.asText().equals("pm")).count());
  }

  @Test
  void panesShowingTheFixtureScreensAreReportedWithTheirLabels() throws Exception {
    Path shared = Path.of("..", "shared", "fixtures", "screens");
    Path screens = Files.isDirectory(shared) ? shared : Path.of("src", "test", "resources", "screens");
    Map<String, String> expected = new TreeMap<>();
    boolean first = true;
    int n = 0;
    try (var files = Files.list(screens)) {
      for (Path fixture : files.sorted().toList()) {
        String name = fixture.getFileName().toString();
        if (name.contains("--codex--") || name.contains("--aider--") || name.contains("--gemini--")) {
          continue;
        }
        String window = "claude-" + (++n);
        String command = TmuxServerFixture.showFile(fixture.toAbsolutePath());
        if (first) {
          tmux.tmux("new-session", "-d", "-s", "screens", "-n", window, "-x", "100", "-y", "30", command);
          first = false;
        } else {
          tmux.window("screens", window, command);
        }
        expected.put(window, name.split("--")[0]);
      }
    }
    Thread.sleep(500);
    Run run = cli("--config", emptyConfig.toString(), "scan", "--json", "-L", tmux.socket());
    assertEquals(0, run.status(), run.err());
    Map<String, String> actual = new TreeMap<>();
    for (JsonNode agent : Json.MAPPER.readTree(run.out())) {
      actual.put(agent.get("windowName").asText(), agent.get("state").asText());
      assertTrue(agent.get("evidence").isArray());
    }
    assertEquals(expected, actual);
  }

  @Test
  void aDeadAgentPaneIsCrashed() throws Exception {
    tmux.session("work", "main", TmuxServerFixture.IDLE_COMMAND);
    tmux.tmux("set-option", "-g", "remain-on-exit", "on");
    tmux.window("work", "claude-dead", "exit 3");
    Thread.sleep(300);
    Run run = cli("--config", emptyConfig.toString(), "-L", tmux.socket(), "scan", "--json");
    assertEquals(0, run.status(), run.err());
    JsonNode agent = Json.MAPPER.readTree(run.out()).get(0);
    assertEquals("crashed", agent.get("state").asText());
    assertTrue(agent.get("dead").asBoolean());
  }

  @Test
  void theTableNamesEveryAgent() {
    tmux.session("work", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("work", "pm", TmuxServerFixture.IDLE_COMMAND);
    Run run = cli("-L", tmux.socket(), "--config", emptyConfig.toString(), "scan");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().startsWith("TARGET"), run.out());
    assertTrue(run.out().contains("work:0.0"));
    assertTrue(run.out().contains("2 agent(s)"));
  }

  @Test
  void aServerCanBeNamedByItsSocketPath() throws Exception {
    tmux.session("work", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    String path = tmux.server().socketFile().orElseThrow().toString();
    Run run = cli("scan", "--json", "-S", path, "--config", emptyConfig.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals("claude-1", Json.MAPPER.readTree(run.out()).get(0).get("windowName").asText());
    Run both = cli("scan", "-S", path, "-L", tmux.socket(), "--config", emptyConfig.toString());
    assertEquals(2, both.status());
    assertTrue(both.err().contains("not both"), both.err());
  }

  @Test
  void anUnreachableServerExitsWithOneAndNamesTheSocket() {
    Run run = cli("scan", "--config", emptyConfig.toString(), "--socket", tmux.socket());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("socket '" + tmux.socket() + "'"), run.err());
    assertTrue(!tmux.running(), "scan never starts a server");
  }

  @Test
  void malformedConfigurationExitsWithTwoAndNamesTheKey() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.conf"), "tmux-orc.monitoring.pool.min-size = lots\n");
    Run run = cli("scan", "--config", bad.toString(), "-L", tmux.socket());
    assertEquals(2, run.status());
    assertTrue(run.err().contains("tmux-orc.monitoring.pool.min-size"), run.err());

    Path unparsable = Files.writeString(dir.resolve("broken.conf"), "tmux-orc { monitoring = \n");
    Run broken = cli("scan", "--config", unparsable.toString(), "-L", tmux.socket());
    assertEquals(2, broken.status());
    assertTrue(broken.err().contains("broken.conf"), broken.err());

    Path badMarker = Files.writeString(dir.resolve("marker.conf"),
        "tmux-orc.detection.kinds.claude.working = [\"re:(unclosed\"]\n");
    Run marker = cli("scan", "--config", badMarker.toString(), "-L", tmux.socket());
    assertEquals(2, marker.status(), marker.err());
    assertTrue(marker.err().contains("kinds.claude.working"), marker.err());

    Run missing = cli("scan", "--config", dir.resolve("nope.conf").toString(), "-L", tmux.socket());
    assertEquals(2, missing.status());
    assertTrue(missing.err().contains("not found"), missing.err());
  }

  @Test
  void everyCommandsHelpRendersWithoutPicocliWarnings() {
    // picocli reports a bad format string (e.g. an unescaped '%') on System.err, not on the command's writer
    PrintStream original = System.err;
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    try {
      for (String command : new String[] {"scan", "monitor", "classify", "demo", "benchmark"}) {
        Run run = cli(command, "--help");
        assertEquals(0, run.status(), command);
        assertTrue(!run.out().contains("WARN") && !run.err().contains("WARN"), command + ": " + run.err());
      }
    } finally {
      System.setErr(original);
    }
    assertTrue(!stderr.toString(StandardCharsets.UTF_8).contains("picocli WARN"), stderr.toString());
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, cli("scan", "--no-such-flag").status());
    assertEquals(2, cli("no-such-command").status());
  }
}
