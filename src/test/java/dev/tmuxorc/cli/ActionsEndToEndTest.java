package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.ProcessCheck;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.DaemonBase;
import dev.tmuxorc.testing.FakePrompt;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10's "done when", end to end: {@code monitor start} runs the real detached monitor, with PM reports,
 * recovery and rate-limit resume on, against a private tmux server whose PM is a fake Claude-like prompt that
 * records every text submitted to it (src/test/resources/agents/fake-prompt.py; the test makes it busy, and deaf to
 * Enter, through files) and whose agents draw fixture screens one step at a time (a bash script that tmux shows as
 * {@code claude}) or are fake prompts themselves. Through the PM's log, the journal ({@code events}), the outbox
 * tables and the API it shows, in order:
 * <ol>
 *   <li>exactly the expected report arriving at the idle PM, once;</li>
 *   <li>a report held while the PM works (deferred, journalled) and delivered when it turns idle;</li>
 *   <li>a crashed agent restarted once, not twice (its recovery command records each start);</li>
 *   <li>a rate-limited agent given "continue" after its near reset, once, and the PM told it is back;</li>
 *   <li>the monitor SIGKILLed while a report sits typed but unsubmitted in the PM's prompt (the PM ignores Enter):
 *       restarted, it submits that report, once;</li>
 *   <li>the monitor SIGKILLed after the PM took a report but before it was marked delivered (the PM's Enter lands
 *       after the kill, standing for an Enter that landed just before it): restarted, it recognises the report on
 *       the PM's screen and does not send it again;</li>
 * </ol>
 * and in the end the PM's log holds every report exactly once, in order, and the outbox nothing pending or in flight.
 * Every wait is "eventually, within a generous limit": nothing asserts on timings.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // a hang guard only: nothing here asserts on timings
class ActionsEndToEndTest {

  /** Generous: the machine may be loaded; every wait ends as soon as its condition holds. */
  private static final Duration PATIENCE = Duration.ofSeconds(40);
  private static final Path SCREENS = Path.of("src", "test", "resources", "screens").toAbsolutePath();

  /**
   * A fake agent drawing screens: re-runs itself as "claude" (what tmux shows as the pane's command), then for each
   * line "N FILE" of its FIFO clears the screen, draws FILE and writes N to a file.
   */
  private static final String AGENT = """
      #!/usr/bin/env bash
      set -u
      if [[ -z ${FAKE_CLAUDE_ARGV0-} ]]; then
        export FAKE_CLAUDE_ARGV0=1
        exec -a claude "$BASH" "$0" "$@"
      fi
      dir=$1
      exec 3<>"$dir/steps"
      ack() { printf '%s\\n' "$1" > "$dir/done.tmp" && mv "$dir/done.tmp" "$dir/done"; }
      ack 0
      while read -r n file <&3; do
        printf '\\033[H\\033[2J'
        cat "$file"
        ack "$n"
        if [[ $file == */crashed--* ]]; then
          # the agent is gone: the pane is back at its shell, as after a real exit
          exec -a zsh "$BASH" -c 'while :; do sleep 3600; done'
        fi
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
  private String conf;
  private URI api;
  private final long t0 = System.nanoTime();

  /** Where the time goes, in the test's output file (target/surefire-reports), for a run found slow. */
  private void phase(String what) {
    System.out.printf("%6d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, what);
  }

  @Test
  void reportsOnceHeldForABusyPmCrashRestartedOnceRateLimitResumedAndExactlyOnceAcrossSigkills() throws Exception {
    // ---------------------------------------------------------------- the fleet
    phase("the fleet");
    Path pmLog = dir.resolve("pm.jsonl");
    Path busy = dir.resolve("pm-busy");
    Path deaf = dir.resolve("pm-deaf");
    tmux.session("work", "boot", TmuxServerFixture.IDLE_COMMAND);
    // window 1: the PM (its name makes it the PM, of kind claude), busy or deaf to Enter when the test says so
    FakePrompt pm = FakePrompt.open(tmux, "work", "claude-pm", pmLog, "--busy-file", busy.toString(),
        "--deaf-file", deaf.toString());
    ScreenAgent dev1 = new ScreenAgent("claude-1"); // window 2
    ScreenAgent dev2 = new ScreenAgent("claude-2"); // window 3
    dev1.show("idle--box-empty-prompt.txt");
    dev2.show("idle--box-empty-prompt.txt");
    Path started = dir.resolve("recovery-starts");
    Path dev2Log = dir.resolve("claude-2-after-restart.jsonl");

    Path config = Files.writeString(dir.resolve("test.conf"), String.join("\n",
        "tmux-orc.monitoring.check-interval = 1s",
        "tmux-orc.tmux.reconnect-backoff { min = 50ms, max = 200ms }",
        "tmux-orc.actions {",
        "  typing { settle = 200ms, checks = 5, attempts = 3 }",
        // grace is long: a fresh idle agent is no need within this test, so every report is one the test caused
        "  pm-reports { enabled = true, interval = 1s, grace = 10m }",
        // the recovery command records each start, then runs something that looks like an idle agent
        "  recovery { enabled = true, spacing = 0s, command = \"\"\"echo started >> '" + started + "'; "
            + FakePrompt.command(dev2Log) + "\"\"\" }",
        "  rate-limit { resume = true, margin = 1s }",
        "}", ""));
    conf = config.toString();

    // ---------------------------------------------------------------- monitor start
    phase("monitor start");
    startMonitor();
    awaitState(pm.pane().value(), "idle");
    awaitState(dev1.pane, "idle");
    awaitState(dev2.pane, "idle");

    // ---------------------------------------------------------------- 1. exactly the expected report, once
    phase("1. exactly the expected report, once");
    dev1.show("waiting--bash-permission.txt");
    List<String> received = awaitReceived(pm, 1);
    assertReport(received.get(0), 1, List.of("claude-1 (work:2.0, " + dev1.pane + "): waiting for a decision: "
        + evidence(dev1.pane)));
    JsonNode delivered = awaitAction(a -> isReport(a, "delivered", 1), "report #1 delivered");
    assertEquals(received.get(0), delivered.path("text").asText(), "the journal has what the PM got");

    // ---------------------------------------------------------------- 2. held while the PM works
    phase("2. held while the PM works; 3. a crash restarted once");
    Files.createFile(busy);
    awaitState(pm.pane().value(), "working");
    dev2.show("crashed--claude--zsh-after-exit.txt");
    JsonNode deferred = awaitAction(a -> a.path("action").asText().equals("pm-report")
        && a.path("outcome").asText().equals("deferred") && a.path("why").asText().contains("working"),
        "a report deferred: the PM works");
    assertTrue(deferred.path("why").asText().startsWith("the PM is working"), deferred.toString());

    // ---------------------------------------------------------------- 3. the crashed agent restarted, once
    JsonNode respawned = awaitAction(a -> a.path("action").asText().equals("recovery")
        && a.path("outcome").asText().equals("delivered") && a.path("paneId").asText().equals(dev2.pane),
        "claude-2 respawned");
    assertTrue(respawned.path("why").asText().startsWith("respawned with echo started"), respawned.toString());
    // the new agent (a fake prompt) is up and idle: the crash is over
    JsonNode back = awaitAgent(dev2.pane, a -> a.path("state").asText().equals("idle")
        && tmux.capture(dev2.pane).contains("Ready when you are."), "claude-2 restarted and idle");
    assertEquals(List.of("started"), Files.readAllLines(started), "started once: " + back);
    assertEquals(1, pm.submitted().size(), "nothing typed into the working PM: " + pm.submitted());

    Files.delete(busy);
    received = awaitReceived(pm, 2);
    assertReport(received.get(1), 2, List.of("claude-2 (work:3.0, " + dev2.pane + "): crashed: dev@mac billing %"));
    // ... and not twice: the respawned agent stays up, the recovery command ran once, one respawn journalled
    awaitState(dev2.pane, "idle");
    assertEquals(List.of("started"), Files.readAllLines(started));
    assertEquals(1, actions(a -> a.path("action").asText().equals("recovery")
        && a.path("outcome").asText().equals("delivered")).size(), "one restart");

    // ---------------------------------------------------------------- 4. a rate limit waited out, then resumed
    phase("4. a rate limit waited out, then resumed");
    Path dev3Log = dir.resolve("claude-3.jsonl");
    FakePrompt dev3 = FakePrompt.open(tmux, "work", "claude-3", dev3Log, // window 4
        "--say", "⏺ Working on the migration.",
        "--say", "  ⎿  You've hit your limit · try again in 4 seconds");
    String dev3Pane = dev3.pane().value();
    JsonNode limited = awaitEntry(e -> e.path("type").asText().equals("StateChanged")
        && e.path("paneId").asText().equals(dev3Pane) && e.path("to").asText().equals("rate_limited"),
        "claude-3 rate-limited");
    assertTrue(!limited.path("resetAt").isMissingNode() && !limited.path("resetAt").isNull(),
        "the reset time read from the screen: " + limited);
    assertEquals(List.of("continue"), dev3.awaitSubmitted(1, PATIENCE), "continue typed and submitted");
    awaitAction(a -> a.path("action").asText().equals("rate-limit-resume")
        && a.path("outcome").asText().equals("delivered") && a.path("paneId").asText().equals(dev3Pane),
        "rate-limit-resume delivered");
    received = awaitReceived(pm, 3);
    assertReport(received.get(2), 3,
        List.of("claude-3 (work:4.0, " + dev3Pane + "): back from its rate limit: now idle"));
    assertEquals(List.of("continue"), dev3.submitted(), "once");

    // ---------------------------------------------------------------- 5. SIGKILL with a report in the PM's prompt
    phase("5. SIGKILL with a report typed into the PM's prompt, not submitted");
    Files.createFile(deaf);
    dev1.show("idle--box-empty-prompt.txt");
    awaitState(dev1.pane, "idle");
    dev1.show("waiting--plan-approval.txt");
    await(() -> tmux.capture(pm.pane().value()), s -> s.contains("│ > [tmux-orc report #4]"),
        "report #4 typed into the PM's prompt");
    assertEquals("in-flight", reportState(4), "the kill lands mid-delivery");
    killMonitor();
    assertEquals("in-flight", reportState(4));
    assertEquals(3, pm.submitted().size(), "not submitted: " + pm.submitted());
    Files.delete(deaf); // the PM takes Enter again; the report still sits in its prompt
    startMonitor();
    received = awaitReceived(pm, 4);
    assertReport(received.get(3), 4, List.of("claude-1 (work:2.0, " + dev1.pane + "): waiting for a decision: "
        + evidence(dev1.pane)));
    JsonNode recovered = awaitAction(a -> isReport(a, "delivered", 4), "report #4 delivered after the restart");
    assertEquals("a report cut off in the PM's prompt, submitted", recovered.path("why").asText(),
        recovered.toString());
    assertEquals("delivered", reportState(4));

    // ---------------------------------------------------------------- 6. SIGKILL after the PM took a report
    phase("6. SIGKILL after the PM took the report, before it was marked delivered");
    Files.createFile(deaf);
    dev1.show("idle--box-empty-prompt.txt");
    awaitState(dev1.pane, "idle");
    dev1.show("waiting--trust-folder.txt");
    await(() -> tmux.capture(pm.pane().value()), s -> s.contains("│ > [tmux-orc report #5]"),
        "report #5 typed into the PM's prompt");
    killMonitor();
    assertEquals("in-flight", reportState(5), "killed before it was marked delivered");
    Files.delete(deaf);
    tmux.tmux("send-keys", "-t", pm.pane().value(), "Enter"); // the Enter that reached the PM before the kill
    received = awaitReceived(pm, 5);
    startMonitor();
    recovered = awaitAction(a -> isReport(a, "delivered", 5), "report #5 found on the PM's screen");
    assertEquals("a report cut off mid-delivery had reached the PM", recovered.path("why").asText(),
        recovered.toString());
    assertEquals("delivered", reportState(5));
    assertReport(received.get(4), 5, List.of("claude-1 (work:2.0, " + dev1.pane + "): waiting for a decision: "
        + evidence(dev1.pane)));

    // ---------------------------------------------------------------- every report exactly once
    phase("every report exactly once");
    // One more need after both restarts: its report is the next number, and nothing came in between.
    dev1.show("idle--box-empty-prompt.txt");
    awaitState(dev1.pane, "idle");
    dev1.show("waiting--mcp-server-approval.txt");
    received = awaitReceived(pm, 6);
    assertReport(received.get(5), 6, List.of("claude-1 (work:2.0, " + dev1.pane + "): waiting for a decision: "
        + evidence(dev1.pane)));
    awaitAction(a -> isReport(a, "delivered", 6), "report #6 delivered");
    List<String> numbers = pm.submitted().stream().map(t -> t.lines().findFirst().orElse("")
        .replaceAll("^\\[tmux-orc report #(\\d+)\\].*", "$1")).toList();
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), numbers, "each report once, in order: " + pm.submitted());
    assertEquals(new TreeMap<>(java.util.Map.of("delivered", 6L)), reportStates(), "every report delivered");
    // the journal: each report delivered once (#4 and #5 by the monitor started after the kill)
    List<Long> deliveredReports = actions(a -> a.path("action").asText().equals("pm-report")
        && a.path("outcome").asText().equals("delivered")).stream().map(a -> a.path("report").asLong()).toList();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), deliveredReports, "one 'delivered' per report");
    assertEquals(0L, count("SELECT COUNT(*) FROM outbox_entry WHERE state <> 'delivered'"),
        "nothing pending or in flight");
    assertEquals(List.of("started"), Files.readAllLines(started), "claude-2 was restarted once in all");
    assertEquals(List.of("continue"), dev3.submitted(), "claude-3 was resumed once in all");

    // The API tells the same as the journal: /api/actions lists the actions of the monitor's journal.
    JsonNode listed = getJson(api.resolve("/api/actions?limit=1000")).orElseGet(() -> fail("no /api/actions"));
    assertTrue(listed.toString().contains("a report cut off mid-delivery had reached the PM"), listed.toString());

    // ---------------------------------------------------------------- monitor stop
    phase("monitor stop");
    ScanCommandTest.Run stop = ScanCommandTest.cli("monitor", "stop", "-c", conf);
    assertEquals(0, stop.status(), stop.out() + stop.err());
    long last = daemons.lastPid();
    // detached: a zombie until its new parent reaps it, which ProcessCheck counts as gone
    await(() -> ProcessCheck.check(last), verdict -> verdict == ProcessCheck.Verdict.GONE,
        "the monitor process gone");
  }

  // ---------------------------------------------------------------- the monitor

  private void startMonitor() {
    ScanCommandTest.Run start = ScanCommandTest.cli("monitor", "start", "--http-port", "0", "--timeout", "60s",
        "-L", tmux.socket(), "-c", conf);
    DaemonRecord record = daemons.record().orElse(null);
    assertEquals(0, start.status(), start.out() + start.err());
    assertTrue(record != null && record.url() != null, "monitor.json names the API: " + record);
    api = URI.create(record.url());
    phase("monitor " + record.pid() + " up");
  }

  /**
   * SIGKILL: no shutdown hook, no last write. The monitor is frozen first (SIGSTOP: from then on it does nothing,
   * as if killed at that instant) and its tmux control clients are killed before it: tmux 3.3a's server segfaults
   * now and then (1 kill in 3 here, kernel log: "tmux: server segfault at 0") when several control clients see
   * EOF on their stdin at once and exit together, which is what a SIGKILLed monitor's clients do. Killed, they
   * just drop their connections (EventStrategyTest kills them so too). The monitor's own state is the same.
   */
  private void killMonitor() throws Exception {
    long pid = daemons.lastPid();
    assertTrue(ProcessCheck.isTmuxOrc(pid), "the monitor still runs: " + pid);
    ProcessHandle monitor = ProcessHandle.of(pid).orElseThrow();
    Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(pid)).redirectErrorStream(true).start();
    assertTrue(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0, "SIGSTOP " + pid);
    List<ProcessHandle> clients = monitor.descendants()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(tmux.socket())).orElse(false)).toList();
    clients.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle client : clients) {
      // a zombie until the monitor, stopped, is killed too: dead is enough (its connection is closed)
      await(() -> DaemonBase.running(client.pid()), alive -> !alive,
          "tmux client " + client.pid() + " of the monitor killed");
    }
    monitor.destroyForcibly();
    await(() -> DaemonBase.running(pid), alive -> !alive, "the monitor " + pid + " killed"); // detached: maybe a zombie
    phase("monitor " + pid + " killed (and its " + clients.size() + " tmux clients)");
  }

  // ---------------------------------------------------------------- the fake agents

  /** A window whose fake agent draws a fixture screen per step, and says when each is drawn. */
  private final class ScreenAgent {
    final Path home;
    final String pane;
    int steps;

    ScreenAgent(String window) throws Exception {
      home = Files.createDirectories(dir.resolve(window));
      Process mkfifo = new ProcessBuilder("mkfifo", home.resolve("steps").toString()).redirectErrorStream(true)
          .start();
      assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);
      Path script = Files.writeString(home.resolve("fake-claude.sh"), AGENT);
      pane = tmux.window("work", window, "exec bash '" + script + "' '" + home + "'");
      await(this::done, n -> n == 0, window + " ready");
    }

    void show(String screen) throws IOException {
      int n = ++steps;
      phase(pane + " shows " + screen);
      // the agent holds the FIFO open for reading and writing: opening it here never blocks
      Files.writeString(home.resolve("steps"), n + " " + SCREENS.resolve(screen) + "\n",
          StandardOpenOption.APPEND);
      await(this::done, done -> done == n, pane + " drew " + screen);
    }

    private int done() {
      try {
        return Integer.parseInt(Files.readString(home.resolve("done")).strip());
      } catch (IOException | NumberFormatException e) {
        return -1;
      }
    }
  }

  private static List<String> awaitReceived(FakePrompt pm, int count) throws InterruptedException {
    List<String> received = pm.awaitSubmitted(count, PATIENCE);
    assertEquals(count, received.size(), "the PM's log: " + received);
    return received;
  }

  /** The report numbered {@code number}, with one line per agent as {@code lines} say, nothing else. */
  private static void assertReport(String report, int number, List<String> lines) {
    List<String> expected = new ArrayList<>();
    expected.add("[tmux-orc report #" + number + "] session work: " + lines.size() + " agent(s) need you");
    lines.forEach(line -> expected.add("- " + line));
    assertEquals(expected, report.lines().toList(), report);
  }

  /** The line of the screen that decided the agent's present state, as a report quotes it. */
  private String evidence(String pane) {
    JsonNode agent = awaitAgent(pane, a -> a.path("evidence").path(0).has("text"), "its evidence");
    return agent.path("evidence").path(0).path("text").asText().strip().replaceAll("\\s+", " ");
  }

  // ---------------------------------------------------------------- the API, the journal, the outbox

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

  private JsonNode awaitAgent(String pane, Predicate<JsonNode> condition, String what) {
    URI uri = api.resolve("/api/agents/" + URLEncoder.encode(pane, StandardCharsets.UTF_8));
    return await(() -> getJson(uri).orElse(null), a -> a != null && condition.test(a), pane + ": " + what)
        .deepCopy();
  }

  private void awaitState(String pane, String state) {
    awaitAgent(pane, a -> a.path("state").asText().equals(state), state);
  }

  /** Every journal entry, as {@code tmux-orc events --json -n 0} prints them from the file. */
  private List<JsonNode> journal(String... filter) {
    return ScanCommandTest.journal(conf, filter);
  }


  private JsonNode awaitEntry(Predicate<JsonNode> wanted, String what) {
    return await(() -> journal().stream().filter(wanted).findFirst(), Optional::isPresent, what).orElseThrow();
  }

  /** The journal's {@code Action} entries that match ({@code events --type Action}). */
  private List<JsonNode> actions(Predicate<JsonNode> wanted) {
    return journal("--type", "Action").stream().filter(wanted).toList();
  }

  private JsonNode awaitAction(Predicate<JsonNode> wanted, String what) {
    return await(() -> actions(wanted), list -> !list.isEmpty(), what).get(0);
  }

  private static boolean isReport(JsonNode action, String outcome, long number) {
    return action.path("action").asText().equals("pm-report") && action.path("outcome").asText().equals(outcome)
        && action.path("report").asLong() == number;
  }

  /** The outbox, read from the journal's file as it is on disk (WAL: readable while the monitor writes). */
  private Connection outbox() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + daemons.base().path().resolve("journal.db"));
  }

  private String reportState(long id) throws SQLException {
    try (Connection c = outbox(); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT state FROM outbox_report WHERE id = " + id)) {
      return rows.next() ? rows.getString(1) : "none";
    }
  }

  private TreeMap<String, Long> reportStates() throws SQLException {
    TreeMap<String, Long> states = new TreeMap<>();
    try (Connection c = outbox(); Statement s = c.createStatement();
        ResultSet rows = s.executeQuery("SELECT state, COUNT(*) FROM outbox_report GROUP BY state")) {
      while (rows.next()) {
        states.put(rows.getString(1), rows.getLong(2));
      }
    }
    return states;
  }

  private long count(String query) throws SQLException {
    try (Connection c = outbox(); Statement s = c.createStatement(); ResultSet rows = s.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done, String what) {
    return Poll.until(value, done, what, PATIENCE);
  }
}
