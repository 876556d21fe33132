package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.ProcessCheck;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.hooks.ClaudeSettings;
import dev.tmuxorc.hooks.HookForm;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.DaemonBase;
import dev.tmuxorc.testing.Poll;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's "done when", end to end: {@code monitor start} runs the real detached monitor on a private tmux server
 * whose agent pane is a fake Claude Code (a bash script) that draws screens from the fixtures and fires its hooks
 * the way Claude Code does, running the command {@code hooks install --form command} wrote into a project's
 * settings.json (that is, {@code tmux-orc hook claude} in a JVM of its own, the event on stdin, {@code $TMUX_PANE}
 * set by tmux). The test drives it one step at a time through a FIFO, and waits for each step to be done, so
 * nothing races a sleep; every wait is "eventually, within a generous limit", no timing is asserted. It shows:
 * hooks outrank the screen; a missing Stop is caught as stalled; a lasting disagreement is journalled with both
 * readings; hook silence falls back to the screen and one hook ends it; {@code explain} (text and JSON) tells
 * why; {@code hooks install} and {@code uninstall} leave someone else's hooks and keys as they were.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // a hang guard only: nothing here asserts on timings
class HooksEndToEndTest {

  /** Generous: the machine may be loaded; every wait ends as soon as its condition holds. */
  private static final Duration PATIENCE = Duration.ofSeconds(40);
  /** Short, so that the test stays fast; long enough for a hook's JVM to start and post on a loaded machine. */
  private static final Duration STALLED_AFTER = Duration.ofSeconds(5);
  private static final Duration SILENCE_AFTER = Duration.ofSeconds(4);
  private static final Path SCREENS = Path.of("src", "test", "resources", "screens").toAbsolutePath();

  /** Another tool's hooks on some of our events, and keys of the user's own, in an order of their own. */
  private static final String THEIRS = """
      {
        "model": "opus",
        "hooks": {
          "PreToolUse": [
            { "matcher": "Bash", "hooks": [ { "type": "command", "command": "/usr/local/bin/guard.sh" } ] }
          ],
          "Stop": [
            { "hooks": [ { "type": "command", "command": "notify-send done", "timeout": 10 } ] }
          ],
          "PostToolUseFailure": [
            { "hooks": [ { "type": "http", "url": "http://localhost:9000/audit" } ] }
          ]
        },
        "permissions": { "allow": [ "Bash(ls:*)" ], "deny": [] },
        "env": { "FOO": "1" }
      }
      """;

  /**
   * The fake agent: re-runs itself as "claude" (what tmux shows as the pane's command), then does one step per
   * line of its FIFO ("N screen FILE": clear and draw FILE; "N hook FILE": run the installed hook command with FILE
   * on stdin, as Claude Code runs a command hook) and writes N to a file when the step is done.
   */
  private static final String AGENT = """
      #!/usr/bin/env bash
      set -u
      if [[ -z ${FAKE_CLAUDE_ARGV0-} ]]; then
        export FAKE_CLAUDE_ARGV0=1
        exec -a claude "$BASH" "$0" "$@"
      fi
      dir=$1
      export TMUX_ORCHESTRATOR_BASE_DIR=$2
      unset TMUX_ORC_CONFIG TMUX_ORC_HTTP_TOKEN
      exec 3<>"$dir/steps"
      ack() { printf '%s\\n' "$1" > "$dir/done.tmp" && mv "$dir/done.tmp" "$dir/done"; }
      ack 0
      while read -r n verb arg <&3; do
        case $verb in
          screen) printf '\\033[H\\033[2J'; cat "$arg" ;;
          hook) bash -c "$(cat "$dir/hook-command")" < "$arg" >> "$dir/hook-output" 2>&1 ;;
          *) exit 0 ;;
        esac
        ack "$n"
      done
      """;

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  @RegisterExtension
  final DaemonBase daemons = new DaemonBase();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private BaseDir base;
  private Path agentDir;
  private int steps;
  private final long t0 = System.nanoTime();

  /** Where the time goes, in the test's output file (target/surefire-reports), for a run found slow. */
  private void phase(String what) {
    System.out.printf("%6d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, what);
  }

  @BeforeEach
  void isolate() {
    base = daemons.base();
    // never the user's ~/.claude: only the project's settings are written, but the user scope must not leak
    System.setProperty(ClaudeSettings.CONFIG_DIR_PROPERTY, dir.resolve("claude-home").toString());
  }

  @AfterEach
  void cleanUp() {
    System.clearProperty(ClaudeSettings.CONFIG_DIR_PROPERTY);
    System.clearProperty(Launcher.LAUNCHER_PROPERTY);
    // the tmux server (and the fake agent in it) is killed by the fixture
  }

  @Test
  void hooksOutrankTheScreenAMissingStopStallsSilenceFallsBackExplainSaysWhyAndInstallKeepsTheirs()
      throws Exception {
    // ---------------------------------------------------------------- the fake agent, idle on screen
    phase("the fake agent, idle on screen");
    agentDir = Files.createDirectories(dir.resolve("agent"));
    mkfifo(agentDir.resolve("steps"));
    Path script = Files.writeString(agentDir.resolve("fake-claude.sh"), AGENT);
    tmux.session("proj", "claude-1", "exec bash '" + script + "' '" + agentDir + "' '" + base.path() + "'");
    String pane = tmux.paneId("proj:claude-1");
    await(this::done, n -> n == 0, "the fake agent ready");
    step("screen", SCREENS.resolve("idle--box-empty-prompt.txt"));

    Path config = Files.writeString(dir.resolve("test.conf"), String.join("\n",
        "tmux-orc.monitoring.check-interval = 1s",
        "tmux-orc.hooks.stalled-after = " + STALLED_AFTER.toSeconds() + "s",
        "tmux-orc.hooks.silence-after = " + SILENCE_AFTER.toSeconds() + "s",
        "tmux-orc.hooks.disagree-after = 1s",
        "tmux-orc.tmux.reconnect-backoff { min = 50ms, max = 200ms }", ""));
    String conf = config.toString();

    // ---------------------------------------------------------------- monitor start: the real detached child
    phase("monitor start: the real detached child");
    ScanCommandTest.Run start = ScanCommandTest.cli("monitor", "start", "--http-port", "0", "--timeout", "60s",
        "-L", tmux.socket(), "-c", conf);
    DaemonRecord record = daemons.record().orElse(null);
    assertEquals(0, start.status(), start.out() + start.err());
    assertTrue(record != null && record.url() != null, "monitor.json names the API: " + record);
    URI api = URI.create(record.url());
    JsonNode agent = awaitAgent(api, pane, a -> a.path("state").asText().equals("idle"), "idle from the screen");
    assertEquals("claude", agent.path("kind").asText());
    assertTrue(agent.path("hooks").isNull(), "no hook yet: " + agent);

    // ---------------------------------------------------------------- hooks install keeps theirs
    phase("hooks install keeps theirs");
    Path project = Files.createDirectories(dir.resolve("project"));
    Path settings = ClaudeSettings.projectFile(project);
    Files.createDirectories(settings.getParent());
    Files.writeString(settings, THEIRS);
    JsonNode before = Json.MAPPER.readTree(THEIRS);

    // The default form, with a monitor running: Claude Code's own http hook, to this monitor's API.
    ScanCommandTest.Run install = ScanCommandTest.cli("hooks", "install", "--project", project.toString(),
        "-c", conf);
    assertEquals(0, install.status(), install.out() + install.err());
    List<ClaudeSettings.Entry> ours = ClaudeSettings.read(settings).ours();
    assertEquals(ClaudeSettings.EVENTS.size(), ours.size(), ours.toString());
    assertTrue(ours.stream().allMatch(e -> e.form() == HookForm.HTTP
        && e.target().equals(record.url().replaceAll("/+$", "") + "/api/hooks/claude")), ours.toString());
    assertTheirsKept(before, settings);

    // The command form (`tmux-orc hook claude`), replacing ours: what the fake agent runs. The launcher is a
    // script of this test's own that runs this build's classes (bin/tmux-orc is built after the tests run).
    Path launcher = launcher();
    System.setProperty(Launcher.LAUNCHER_PROPERTY, launcher.toString());
    install = ScanCommandTest.cli("hooks", "install", "--project", project.toString(), "--form", "command",
        "-c", conf);
    System.clearProperty(Launcher.LAUNCHER_PROPERTY);
    assertEquals(0, install.status(), install.out() + install.err());
    ours = ClaudeSettings.read(settings).ours();
    assertEquals(ClaudeSettings.EVENTS.size(), ours.size(), "replaced, not added: " + ours);
    assertTrue(ours.stream().allMatch(e -> e.form() == HookForm.COMMAND), ours.toString());
    String hookCommand = ours.stream().filter(e -> e.event().equals("PreToolUse")).findFirst().orElseThrow()
        .target();
    assertTrue(hookCommand.startsWith(launcher.toString()) && hookCommand.endsWith(" hook claude"), hookCommand);
    assertTrue(ours.stream().allMatch(e -> e.target().equals(hookCommand)), "one command for every event");
    assertTheirsKept(before, settings);
    Files.writeString(agentDir.resolve("hook-command"), hookCommand);

    // ---------------------------------------------------------------- 1. hooks outrank the screen
    phase("1. hooks outrank the screen");
    // The screen still shows the idle prompt (the screen misread after a UI release); PreToolUse says working.
    step("hook", event("PreToolUse", "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"}"));
    // HookReceived reaches the FleetView just before the StateChanged it causes: wait for both
    agent = awaitAgent(api, pane, a -> a.path("hooks").path("events").asLong() >= 1
        && "working".equals(a.path("state").asText()), "the hook received, and working: the hook over the idle "
        + "screen");
    assertEquals("hook", rule(agent), "the evidence of the change: " + agent);
    assertEquals("PreToolUse", agent.path("hooks").path("lastEvent").asText());
    assertEquals("s-e2e", agent.path("hooks").path("sessionId").asText());
    JsonNode explained = explain(api, pane);
    assertEquals("working", explained.path("state").asText(), explained.toString());
    assertEquals("hook", explained.path("rule").asText(), explained.toString());
    assertEquals("idle", explained.path("screen").path("state").asText(), "the screen's own reading");
    assertEquals("PreToolUse", explained.path("hook").path("event").asText());
    assertTrue(explained.path("hook").path("inForce").asBoolean(), explained.toString());
    assertEquals("", Files.readString(agentDir.resolve("hook-output")), "the hook printed nothing");

    // A lasting disagreement (hook: working, screen: idle) is journalled with both readings.
    JsonNode disagreed = awaitEntry(conf, e -> e.path("type").asText().equals("SignalsDisagreed")
        && e.path("paneId").asText().equals(pane) && e.path("hook").asText().equals("PreToolUse"),
        "SignalsDisagreed for PreToolUse");
    assertEquals("working", disagreed.path("hookState").asText(), disagreed.toString());
    assertEquals("idle", disagreed.path("screenState").asText(), disagreed.toString());
    assertFalse(disagreed.path("screenEvidence").isEmpty(), disagreed.toString());
    assertEquals("working", disagreed.path("decided").asText(), disagreed.toString());

    // ---------------------------------------------------------------- 2. a missing Stop is caught as stalled
    phase("2. a missing Stop is caught as stalled");
    // No Stop comes, the screen stays as it is: after stalled-after the agent is flagged, the screen decides.
    agent = awaitAgent(api, pane, a -> a.path("hooks").path("stalled").asBoolean(), "hooks.stalled");
    assertEquals("idle", agent.path("state").asText(), agent.toString());
    assertEquals("stalled", rule(agent), "the evidence of the change: " + agent);
    explained = explain(api, pane);
    assertEquals("stalled", explained.path("rule").asText(), explained.toString());
    assertTrue(strings(explained.path("flags")).contains("stalled"), explained.toString());
    assertFalse(explained.path("hook").path("inForce").asBoolean(), explained.toString());
    JsonNode stalled = awaitEntry(conf, e -> flag(e, pane, "stalled", true), "FlagChanged stalled on");
    assertTrue(stalled.path("reason").asText().contains("PreToolUse"), stalled.toString());
    List<JsonNode> journal = journal(conf);
    assertTrue(journal.stream().anyMatch(e -> stateChange(e, pane, "idle", "working", "hook")), "idle -> working"
        + " by the hook, journalled: " + journal);
    assertTrue(journal.stream().anyMatch(e -> stateChange(e, pane, "working", "idle", "stalled")),
        "working -> idle by the stall, journalled: " + journal);

    // ---------------------------------------------------------------- 4. explain tells why (text and JSON)
    phase("4. explain tells why (text and JSON)");
    ScanCommandTest.Run text = ScanCommandTest.cli("explain", pane, "-c", conf);
    assertEquals(0, text.status(), text.out() + text.err());
    String first = text.out().lines().findFirst().orElse("");
    assertTrue(first.startsWith(pane + " proj:") && first.contains("(claude): idle for ")
        && first.contains("decided by rule 'stalled'") && first.endsWith("; flags: stalled"), text.out());
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("hooks:   claude PreToolUse means working, ")
        && l.contains("(not in force)") && l.contains("session s-e2e")), text.out());
    assertTrue(text.out().lines().anyMatch(l -> l.startsWith("screen:  reads idle")), text.out());
    assertTrue(text.out().lines().anyMatch(l -> l.contains("idle -> working  [hook: hook PreToolUse (claude)")),
        text.out());
    ScanCommandTest.Run json = ScanCommandTest.cli("explain", pane, "--json", "-c", conf);
    assertEquals(0, json.status(), json.out() + json.err());
    JsonNode cli = Json.MAPPER.readTree(json.out());
    assertEquals("monitor", cli.path("source").asText());
    assertEquals("stalled", cli.path("explanation").path("rule").asText(), json.out());
    assertEquals("PreToolUse", cli.path("explanation").path("hook").path("event").asText(), json.out());
    assertEquals("working", cli.path("explanation").path("hook").path("meaning").asText(), json.out());
    assertEquals(List.of("stalled"), strings(cli.path("explanation").path("flags")), json.out());

    // ---------------------------------------------------------------- 3. hook silence falls back to the screen
    phase("3. hook silence falls back to the screen");
    // The Stop comes after all: a sign of life (the stall ends), and the hooks say idle.
    step("hook", event("Stop", "\"stop_hook_active\":false"));
    agent = awaitAgent(api, pane, a -> a.path("hooks").path("lastEvent").asText().equals("Stop")
        && !a.path("hooks").path("stalled").asBoolean(), "the Stop received, the stall over");
    assertEquals("idle", agent.path("state").asText(), agent.toString());
    explained = explain(api, pane);
    assertEquals("hook", explained.path("rule").asText(), "the Stop decides again: " + explained);
    assertEquals(List.of(), strings(explained.path("flags")), explained.toString());
    awaitEntry(conf, e -> flag(e, pane, "stalled", false), "FlagChanged stalled off");
    // Later than silence-after after that last hook (a hook just before a turn to working answers it), the
    // agent visibly works again and no hook tells: its hooks have gone silent (settings clobbered, say).
    await(() -> explain(api, pane).path("hook").path("lastEventAgeMs").asLong(),
        age -> age > SILENCE_AFTER.toMillis() + 500, "the last hook older than silence-after");
    step("screen", SCREENS.resolve("working--spinner-box-esc-to-interrupt.txt"));
    agent = awaitAgent(api, pane, a -> a.path("hooks").path("silent").asBoolean(), "hooks.silent");
    assertEquals("working", agent.path("state").asText(), "the screen decides: " + agent);
    explained = explain(api, pane);
    assertEquals("working", explained.path("state").asText(), explained.toString());
    assertTrue(strings(explained.path("flags")).contains("hooks_silent"), explained.toString());
    assertFalse(explained.path("hook").path("inForce").asBoolean(), explained.toString());
    assertEquals(explained.path("screen").path("lastEvidence").path(0).path("rule").asText(),
        explained.path("rule").asText(), "the screen's own rule decides: " + explained);
    JsonNode silent = awaitEntry(conf, e -> flag(e, pane, "hooks_silent", true), "FlagChanged hooks_silent on");
    assertTrue(silent.path("reason").asText().contains("no hook event came"), silent.toString());
    // Meanwhile the Stop (idle) and the screen (working) disagreed: both readings journalled.
    JsonNode idleWorking = awaitEntry(conf, e -> e.path("type").asText().equals("SignalsDisagreed")
        && e.path("paneId").asText().equals(pane) && e.path("hook").asText().equals("Stop"),
        "SignalsDisagreed for Stop");
    assertEquals("idle", idleWorking.path("hookState").asText(), idleWorking.toString());
    assertEquals("working", idleWorking.path("screenState").asText(), idleWorking.toString());
    assertEquals("working", idleWorking.path("decided").asText(), "the screen moved on after the Stop");

    // One hook event ends the silence: the hooks decide again.
    step("hook", event("PostToolUse", "\"tool_name\":\"Bash\",\"tool_input\":{\"command\":\"ls\"}"));
    agent = awaitAgent(api, pane, a -> !a.path("hooks").path("silent").asBoolean(), "hooks.silent cleared");
    assertEquals("PostToolUse", agent.path("hooks").path("lastEvent").asText(), agent.toString());
    assertEquals("working", agent.path("state").asText(), agent.toString());
    explained = explain(api, pane);
    assertEquals("hook", explained.path("rule").asText(), "the hooks decide again: " + explained);
    assertEquals("PostToolUse", explained.path("hook").path("event").asText(), explained.toString());
    assertTrue(explained.path("hook").path("inForce").asBoolean(), explained.toString());
    assertEquals(List.of(), strings(explained.path("flags")), explained.toString());
    awaitEntry(conf, e -> flag(e, pane, "hooks_silent", false), "FlagChanged hooks_silent off");
    assertEquals(3, journal(conf).stream().filter(e -> e.path("type").asText().equals("HookReceived")
        && e.path("paneId").asText().equals(pane)).count(), "each hook event journalled once");
    assertEquals("", Files.readString(agentDir.resolve("hook-output")), "the hook printed nothing, ever");

    // ---------------------------------------------------------------- 5. hooks uninstall removes exactly ours
    phase("5. hooks uninstall removes exactly ours");
    ScanCommandTest.Run uninstall = ScanCommandTest.cli("hooks", "uninstall", "--project", project.toString(),
        "-c", conf);
    assertEquals(0, uninstall.status(), uninstall.out() + uninstall.err());
    assertEquals(before, Json.MAPPER.readTree(settings.toFile()), "their settings, and nothing else");
    assertEquals(List.of(), ClaudeSettings.read(settings).ours());

    // ---------------------------------------------------------------- monitor stop
    phase("monitor stop");
    ScanCommandTest.Run stop = ScanCommandTest.cli("monitor", "stop", "-c", conf);
    assertEquals(0, stop.status(), stop.out() + stop.err());
    long daemonPid = daemons.lastPid();
    // detached: a zombie until its new parent reaps it, which ProcessCheck counts as gone
    await(() -> ProcessCheck.check(daemonPid), verdict -> verdict == ProcessCheck.Verdict.GONE,
        "the monitor process gone");
  }

  // ---------------------------------------------------------------- the fake agent

  private static void mkfifo(Path path) throws Exception {
    Process process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0,
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** Has the fake agent do one step and waits until it is done (a hook: until the hook command returned). */
  private void step(String verb, Path file) throws IOException {
    int n = ++steps;
    phase("step " + n + " " + verb + " " + file.getFileName());
    // the agent holds the FIFO open for reading and writing: opening it here never blocks
    Files.writeString(agentDir.resolve("steps"), n + " " + verb + " " + file + "\n", StandardOpenOption.APPEND);
    await(this::done, done -> done == n, "step " + n + " (" + verb + " " + file.getFileName() + ") done");
  }

  private int done() {
    try {
      return Integer.parseInt(Files.readString(agentDir.resolve("done")).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** A Claude Code hook event as it comes on the hook's stdin, written to a file for the agent to send. */
  private Path event(String name, String fields) throws IOException {
    String json = "{\"session_id\":\"s-e2e\",\"transcript_path\":\"" + dir.resolve("transcript.jsonl")
        + "\",\"cwd\":\"" + dir.resolve("project") + "\",\"permission_mode\":\"default\",\"hook_event_name\":\""
        + name + "\"," + fields + "}";
    return Files.writeString(agentDir.resolve(name + "-" + (steps + 1) + ".json"), json);
  }

  /**
   * {@code tmux-orc} as the agent runs it: the launcher's JVM flags and this build's classes, through the same
   * main class (whose fast path {@code hook} takes).
   */
  private Path launcher() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("tmux-orc").resolve("bin"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path launcher = Files.writeString(bin.resolve("tmux-orc"), String.join("\n",
        "#!/bin/sh",
        "exec '" + java + "' -Xms32m -Xmx128m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1 -cp '"
            + System.getProperty("java.class.path") + "' " + "dev.tmuxorc.cli.Main \"$@\"", ""));
    assertTrue(launcher.toFile().setExecutable(true));
    return launcher;
  }

  // ---------------------------------------------------------------- settings.json

  /** Every key and hook of theirs is there, equal as a JSON value, in their order, theirs before ours. */
  private static void assertTheirsKept(JsonNode before, Path settings) throws IOException {
    JsonNode after = Json.MAPPER.readTree(settings.toFile());
    assertEquals(List.of("model", "hooks", "permissions", "env"), names(after), "their keys, their order");
    for (String key : List.of("model", "permissions", "env")) {
      assertEquals(before.get(key), after.get(key), key);
    }
    before.get("hooks").fields().forEachRemaining(entry -> {
      JsonNode groups = after.get("hooks").get(entry.getKey());
      for (int i = 0; i < entry.getValue().size(); i++) {
        assertEquals(entry.getValue().get(i), groups.get(i), entry.getKey() + " group " + i + " of theirs");
      }
    });
    assertEquals(names(before.get("hooks")), names(after.get("hooks")).subList(0, 3), "their events first");
    assertEquals(ClaudeSettings.EVENTS.size(), ClaudeSettings.read(settings).ours().size());
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> strings(JsonNode array) {
    List<String> strings = new ArrayList<>();
    array.forEach(s -> strings.add(s.asText()));
    return strings;
  }

  // ---------------------------------------------------------------- the API and the journal

  private Optional<JsonNode> getJson(URI uri) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(Json.MAPPER.readTree(response.body())) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode awaitAgent(URI api, String pane, Predicate<JsonNode> condition, String what) {
    URI uri = api.resolve("/api/agents/" + URLEncoder.encode(pane, StandardCharsets.UTF_8));
    return await(() -> getJson(uri).orElse(null), a -> a != null && condition.test(a), pane + ": " + what)
        .deepCopy();
  }

  private JsonNode explain(URI api, String pane) {
    URI uri = api.resolve("/api/agents/" + URLEncoder.encode(pane, StandardCharsets.UTF_8) + "/explain");
    return getJson(uri).orElseGet(() -> fail("no explanation of " + pane));
  }

  private static String rule(JsonNode agent) {
    return agent.path("evidence").path(0).path("rule").asText();
  }

  /** Every journal entry, as {@code tmux-orc events --json -n 0} prints them from the file. */
  private static List<JsonNode> journal(String conf) {
    return ScanCommandTest.journal(conf);
  }

  /** The first journal entry that matches, once the journal holds one. */
  private static JsonNode awaitEntry(String conf, Predicate<JsonNode> wanted, String what) {
    return await(() -> journal(conf).stream().filter(wanted).findFirst(), Optional::isPresent, what)
        .orElseThrow();
  }

  private static boolean flag(JsonNode entry, String pane, String flag, boolean on) {
    return entry.path("type").asText().equals("FlagChanged") && entry.path("paneId").asText().equals(pane)
        && entry.path("flag").asText().equals(flag) && entry.path("on").asBoolean() == on;
  }

  private static boolean stateChange(JsonNode entry, String pane, String from, String to, String rule) {
    return entry.path("type").asText().equals("StateChanged") && entry.path("paneId").asText().equals(pane)
        && entry.path("from").asText().equals(from) && entry.path("to").asText().equals(to)
        && entry.path("evidence").path(0).path("rule").asText().equals(rule);
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done, String what) {
    return Poll.until(value, done, what, PATIENCE);
  }
}
