package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.testing.ApiStandIn;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookCommandTest {

  private static final String EVENT = "{\"session_id\":\"s1\",\"transcript_path\":\"/t.jsonl\",\"cwd\":\"/p\","
      + "\"permission_mode\":\"default\",\"hook_event_name\":\"PreToolUse\",\"tool_name\":\"Bash\","
      + "\"tool_input\":{\"command\":\"ls\"},\"tool_use_id\":\"t1\"}";

  @TempDir
  Path dir;

  private BaseDir base;
  private String emptyConfig;
  private final InputStream stdin = System.in;

  @BeforeEach
  void isolate() throws Exception {
    base = new BaseDir(dir.resolve("base"));
    System.setProperty(BaseDir.PROPERTY, base.path().toString());
    emptyConfig = Files.writeString(dir.resolve("empty.conf"), "").toString();
  }

  @AfterEach
  void restore() {
    System.clearProperty(BaseDir.PROPERTY);
    System.setIn(stdin);
  }

  private static void stdin(byte[] bytes) {
    System.setIn(new ByteArrayInputStream(bytes));
  }

  @Test
  void postsTheBodyAsItIsWithThePaneAndTheAncestorPidsAndPrintsNothing() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/hooks/claude", 202, "")) {
      stdin(EVENT.getBytes(StandardCharsets.UTF_8));
      ScanCommandTest.Run run = ScanCommandTest.cli("-c", emptyConfig, "hook", "claude", "--pane", "%17");

      assertEquals(0, run.status());
      assertEquals("", run.out());
      assertEquals("", run.err());
      List<ApiStandIn.Received> posts = api.received();
      assertEquals(1, posts.size(), api.requests().toString());
      ApiStandIn.Received post = posts.get(0);
      assertEquals("POST", post.method());
      assertEquals("/api/hooks/claude", post.uri());
      assertEquals(EVENT, new String(post.body(), StandardCharsets.UTF_8));
      assertEquals("application/json", post.header("Content-Type"));
      assertEquals("%17", post.header("X-Tmux-Pane"));
      String pids = post.header("X-Hook-Pids");
      assertTrue(pids.matches("\\d+(,\\d+){0,7}"), pids);
      assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), Long.parseLong(pids.split(",")[0]),
          "nearest first");
      assertEquals(null, post.header("Authorization"));
    }
  }

  @Test
  void malformedJsonAndOtherKindsArePassedOnTheServerJudges() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base)) {
      byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
      stdin(garbage);
      ScanCommandTest.Run run = ScanCommandTest.cli("-c", emptyConfig, "hook", "codex");

      assertEquals(0, run.status(), "a 404 from the monitor is no concern of the agent");
      assertEquals("", run.out() + run.err());
      assertEquals(1, api.received().size());
      assertEquals("/api/hooks/codex", api.received().get(0).uri());
      assertArrayEquals(garbage, api.received().get(0).body());
    }
  }

  @Test
  void codexNotifysJsonArgumentIsPostedInsteadOfStdin() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base)) {
      stdin("ignored".getBytes(StandardCharsets.UTF_8));
      String event = "{\"type\":\"agent-turn-complete\",\"thread-id\":\"t-1\"}";
      ScanCommandTest.Run run = ScanCommandTest.cli("-c", emptyConfig, "hook", "codex", event);

      assertEquals("", run.out() + run.err());
      assertEquals("/api/hooks/codex", api.received().get(0).uri());
      assertArrayEquals(event.getBytes(StandardCharsets.UTF_8), api.received().get(0).body());
    }
  }

  @Test
  void sendsTheConfiguredTokenFoundWithoutLoadingTheWholeConfiguration() throws Exception {
    String config = Files.writeString(dir.resolve("token.conf"), "tmux-orc.http.token = \"s3cret\"\n").toString();
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/hooks/claude", 202, "")) {
      stdin(EVENT.getBytes(StandardCharsets.UTF_8));
      assertEquals(0, ScanCommandTest.cli("hook", "claude", "-c", config).status());

      assertEquals(List.of("POST /api/hooks/claude Bearer s3cret"), api.requests());
    }
  }

  @Test
  void withoutAMonitorItIsANoOp() {
    stdin(EVENT.getBytes(StandardCharsets.UTF_8));
    ScanCommandTest.Run run = ScanCommandTest.cli("-c", emptyConfig, "hook", "claude", "--pane", "%3");

    assertEquals(0, run.status());
    assertEquals("", run.out() + run.err());
  }

  @Test
  void aMonitorThatNeverAnswersCostsAtMostTheLimit() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base).hang("/api/hooks/claude")) {
      stdin(EVENT.getBytes(StandardCharsets.UTF_8));
      ScanCommandTest.Run run = assertTimeoutPreemptively(Duration.ofSeconds(3),
          () -> ScanCommandTest.cli("-c", emptyConfig, "hook", "claude", "--pane", "%3"));

      assertEquals(0, run.status());
      assertEquals("", run.out() + run.err());
      assertEquals(1, api.received().size(), "it did reach the monitor");
    }
  }

  @Test
  void aBodyOverOneMegabyteIsDroppedSilently() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base)) {
      stdin(new byte[HookCommand.MAX_BODY + 1]);
      ScanCommandTest.Run run = ScanCommandTest.cli("-c", emptyConfig, "hook", "claude");

      assertEquals(0, run.status());
      assertEquals("", run.out() + run.err());
      assertEquals(List.of(), api.requests());
    }
  }

  @Test
  void asItsOwnProcessItTakesThePaneFromTheEnvironmentAndPrintsNothingEvenForBadUsage() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/hooks/claude", 202, "")) {
      Process good = hookProcess("hook", "claude");
      Process bad = hookProcess("hook", "claude", "--no-such-option");
      Process unknownKind = hookProcess("-c", emptyConfig, "hook", "vim");

      for (Process process : List.of(good, bad, unknownKind)) {
        assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        assertEquals("", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals("", new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      assertEquals(List.of("POST /api/hooks/claude"), api.requests());
      assertEquals("%9", api.received().get(0).header("X-Tmux-Pane"));
      assertEquals(EVENT, new String(api.received().get(0).body(), StandardCharsets.UTF_8));
    }
  }

  /** {@code tmux-orc ARGS} as the agent runs it: its own JVM, $TMUX_PANE set, the event on stdin. */
  private Process hookProcess(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "dev.tmuxorc.cli.Main"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("TMUX_PANE", "%9");
    builder.environment().put(BaseDir.ENV_VAR, base.path().toString());
    builder.environment().remove("TMUX_ORC_CONFIG");
    builder.environment().remove("TMUX_ORC_HTTP_TOKEN");
    Process process = builder.start();
    try (var in = process.getOutputStream()) {
      in.write(EVENT.getBytes(StandardCharsets.UTF_8));
    }
    return process;
  }

  @Test
  void theFastPathIsTakenForHookWhereverTheGlobalOptionsAre() {
    assertTrue(HookCommand.isHookCall(new String[] {"hook", "claude"}));
    assertTrue(HookCommand.isHookCall(new String[] {"-c", "x.conf", "-v", "hook", "claude"}));
    assertTrue(HookCommand.isHookCall(new String[] {"-L", "work", "hook", "claude", "-c", "x"}));
    assertFalse(HookCommand.isHookCall(new String[] {"hooks", "install"}));
    assertFalse(HookCommand.isHookCall(new String[] {"-c", "hook", "status"}));
    assertFalse(HookCommand.isHookCall(new String[] {"status"}));
  }
}
