package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.ProcessCheck;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.testing.FakeProcess;
import dev.tmuxorc.testing.TestSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The monitor's daemon subcommands, in-process, against a temporary base directory ({@code -Dtmuxorc.baseDir})
 * and fake monitors: copies of {@code sleep} named like tmux-orc, started and ended by the test by PID, and a
 * JDK HttpServer standing in for the API.
 */
class MonitorDaemonCommandTest {

  @TempDir
  Path dir;

  private BaseDir base;
  private HttpServer api;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void isolate() {
    base = new BaseDir(dir.resolve("base"));
    System.setProperty(BaseDir.PROPERTY, base.path().toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty(BaseDir.PROPERTY);
    if (api != null) {
      api.stop(0);
    }
  }

  private static ScanCommandTest.Run cli(String... args) {
    return ScanCommandTest.cli(args);
  }

  private String serveApi() throws IOException {
    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      switch (exchange.getRequestURI().getPath()) {
        case "/api/status" -> answer(exchange, 200, """
            {"version":"1.0","strategy":"event","paused":false,
             "agents":{"total":3,"byState":{"working":2,"idle":1}},
             "cycles":{"p50Ms":4.8,"p95Ms":9.1}}""");
        case "/api/monitor/pause" -> answer(exchange, 200, "{\"pausedUntil\":\"2026-11-30T10:10:00Z\"}");
        case "/api/monitor/resume" -> answer(exchange, 200, "{}");
        default -> answer(exchange, 404, "no such route");
      }
    });
    api.start();
    return "http://127.0.0.1:" + api.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private void record(long pid, String url) {
    new DaemonRecord(pid, url, base.monitorLog().toString(), ProcessHandle.of(pid)
        .flatMap(p -> p.info().startInstant()).map(Object::toString).orElse("2026-11-30T09:00:00Z"), "1.0",
        "tmux -L work",
        List.of("monitor", "--foreground", "-L", "work")).write(base);
  }

  @Test
  void stopSendsSigtermWaitsAndRemovesTheFiles() throws Exception {
    try (FakeProcess monitor = FakeProcess.tmuxOrc(dir)) {
      record(monitor.pid(), "http://127.0.0.1:1");
      ScanCommandTest.Run run = cli("monitor", "stop");
      assertEquals(0, run.status(), run.err());
      assertTrue(run.out().startsWith("stopped tmux-orc (pid " + monitor.pid() + ") in "), run.out());
      assertTrue(monitor.exitsWithin(java.time.Duration.ofSeconds(5)));
      assertFalse(Files.exists(base.pidFile()) || Files.exists(base.daemonFile()));
    }
    ScanCommandTest.Run again = cli("monitor", "stop");
    assertEquals(0, again.status());
    assertEquals("tmux-orc monitor is not running\n", again.out());
  }

  @Test
  void stopNeverSignalsAProcessThatIsNotTmuxOrcButRemovesTheStaleFile() throws Exception {
    try (FakeProcess other = FakeProcess.other(dir)) {
      record(other.pid(), null);
      ScanCommandTest.Run run = cli("monitor", "stop");
      assertEquals(0, run.status(), run.err());
      assertTrue(run.out().contains("removed a stale PID file (pid " + other.pid()
          + " now belongs to another program)"), run.out());
      assertTrue(other.isAlive(), "the other program is left alone");
      assertFalse(Files.exists(base.pidFile()));
    }
  }

  @Test
  void aSecondStartIsRefusedWhileOneRuns() throws Exception {
    try (FakeProcess monitor = FakeProcess.tmuxOrc(dir)) {
      record(monitor.pid(), "http://127.0.0.1:8585");
      ScanCommandTest.Run run = cli("monitor", "start", "-c", Files.writeString(dir.resolve("e.conf"), "").toString());
      assertEquals(1, run.status(), run.out());
      assertEquals("tmux-orc: the monitor is already running (pid " + monitor.pid() + ", http://127.0.0.1:8585)\n",
          run.err());
      assertTrue(monitor.isAlive());
      assertTrue(Files.exists(base.pidFile()), "a live record is never deleted");
    }
  }

  @Test
  void startChecksTheConfigurationBeforeStartingAnything() throws Exception {
    ScanCommandTest.Run run = cli("monitor", "start", "--pool-size", "0",
        "-c", Files.writeString(dir.resolve("e.conf"), "").toString());
    assertEquals(2, run.status());
    assertTrue(run.err().contains("tmux-orc.monitoring.pool.max-size"), run.err());
    assertFalse(Files.exists(base.monitorOut()), "nothing was started");
  }

  /**
   * A monitor that never becomes ready is stopped, by its PID, and its output shown. Until the monitor serves
   * the API it never records itself; once it does, the port held here makes its bind fail: either way it
   * must not be left running.
   */
  @Test
  void aStartThatIsNotReadyInTimeStopsTheChildAndShowsItsOutput() throws Exception {
    Path config = Files.writeString(dir.resolve("fast.conf"),
        "tmux-orc.tmux.reconnect-backoff { min = 50ms, max = 200ms }\n");
    try (ServerSocket busy = new ServerSocket(0)) {
      ScanCommandTest.Run run = cli("monitor", "start", "--timeout", "3s", "--http-port",
          Integer.toString(busy.getLocalPort()), "-L", "tmuxorc-test-none-" + ProcessHandle.current().pid(),
          "-c", config.toString());
      assertEquals(1, run.status(), run.out() + run.err());
      Matcher pid = Pattern.compile("\\(pid (\\d+)\\)").matcher(run.err());
      assertTrue(pid.find(), run.err());
      // detached, it is no child of ours: a zombie until its new parent reaps it, which ProcessCheck counts as gone
      assertEquals(ProcessCheck.Verdict.GONE, ProcessCheck.check(Long.parseLong(pid.group(1))),
          "the monitor is stopped");
      assertTrue(Files.readString(base.monitorOut()).contains("monitor --foreground --http-port "
          + busy.getLocalPort()), "monitor.out names the command line");
    }
  }

  @Test
  void statusSaysNotRunningWithExitStatusThree() {
    ScanCommandTest.Run run = cli("monitor", "status");
    assertEquals(3, run.status());
    assertEquals("tmux-orc monitor is not running\n", run.out());
    ScanCommandTest.Run json = cli("monitor", "status", "--json");
    assertEquals(3, json.status());
    assertTrue(json.out().contains("\"running\" : false"), json.out());
  }

  @Test
  void statusPauseAndResumeTalkToTheApi() throws Exception {
    String url = serveApi();
    try (FakeProcess monitor = FakeProcess.tmuxOrc(dir)) {
      record(monitor.pid(), url);
      Path empty = Files.writeString(dir.resolve("e.conf"), "");

      ScanCommandTest.Run status = cli("monitor", "status", "-c", empty.toString());
      assertEquals(0, status.status(), status.err());
      assertTrue(status.out().startsWith("tmux-orc monitor is running (pid " + monitor.pid() + ", up "),
          status.out());
      assertTrue(status.out().contains("api:       " + url), status.out());
      assertTrue(status.out().contains("  dashboard: " + url + "/\n"), status.out());
      assertTrue(status.out().contains(
          "agents:    strategy event; 3 agents (working 2, idle 1); cycle p50 4.8 ms"), status.out());

      ScanCommandTest.Run json = cli("monitor", "status", "--json", "-c", empty.toString());
      assertTrue(json.out().contains("\"strategy\" : \"event\""), json.out());
      assertTrue(json.out().contains("\"dashboardUrl\" : \"" + url + "/\""), json.out());

      ScanCommandTest.Run pause = cli("monitor", "pause", "10m", "-c", empty.toString());
      assertEquals(0, pause.status(), pause.err());
      assertEquals("paused until 2026-11-30T10:10:00Z\n", pause.out());
      ScanCommandTest.Run resume = cli("monitor", "resume", "-c", empty.toString());
      assertEquals(0, resume.status(), resume.err());
      assertEquals("resumed\n", resume.out());

      ScanCommandTest.Run typo = cli("monitor", "pause", "ten minutes", "-c", empty.toString());
      assertEquals(2, typo.status());
      assertTrue(typo.err().contains("is not a duration"), typo.err());

      assertEquals(List.of("GET /api/status", "GET /api/status", "POST /api/monitor/pause?duration=10m",
          "POST /api/monitor/resume"), requests);
    }
  }

  @Test
  void pauseWhenNotRunningIsAClearError() throws Exception {
    ScanCommandTest.Run run = cli("monitor", "pause", "5m",
        "-c", Files.writeString(dir.resolve("e.conf"), "").toString());
    assertEquals(1, run.status());
    assertTrue(run.err().startsWith("tmux-orc: the monitor is not running"), run.err());
  }

  @Test
  void logsPrintsTheLastLines() throws Exception {
    Files.createDirectories(base.logs());
    Files.write(base.monitorLog(), IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i).toList());
    ScanCommandTest.Run run = cli("monitor", "logs", "-n", "3");
    assertEquals(0, run.status(), run.err());
    assertEquals("line 98\nline 99\nline 100\n", run.out());
    assertEquals(50, cli("monitor", "logs").out().lines().count());

    Files.delete(base.monitorLog());
    ScanCommandTest.Run none = cli("monitor", "logs");
    assertEquals(1, none.status());
    assertTrue(none.err().startsWith("tmux-orc: no log at " + base.monitorLog()), none.err());
  }

  /** What the foreground monitor does once its HTTP API is bound, and undoes at shutdown. */
  @Test
  void theMonitorRecordsItselfAndRemovesTheRecordAtShutdown() throws Exception {
    CommandLine commandLine = Main.commandLine();
    commandLine.parseArgs("monitor", "-L", "work", "--pool-size", "2");
    MonitorCommand monitor = commandLine.getSubcommands().get("monitor").getCommand();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "record-test");
    try {
      DaemonRecord record = monitor.recordDaemon(system, "http://127.0.0.1:8585",
          TestSettings.settings("work"));
      assertEquals(ProcessHandle.current().pid(), record.pid());
      assertEquals(List.of("monitor", "-L", "work", "--pool-size", "2"), record.args());
      assertEquals(Optional.of(record), DaemonRecord.read(base));
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertFalse(Files.exists(base.pidFile()) || Files.exists(base.daemonFile()), "removed by CoordinatedShutdown");
  }

  @Test
  void theMonitorCommandListsItsSubcommands() {
    ScanCommandTest.Run help = cli("monitor", "--help");
    for (String sub : List.of("start", "stop", "status", "logs", "pause", "resume", "restart")) {
      assertTrue(help.out().contains("  " + sub + " "), sub + " in:\n" + help.out());
    }
  }
}
