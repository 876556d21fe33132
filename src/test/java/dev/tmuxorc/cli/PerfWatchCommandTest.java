package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.ApiStandIn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code perf watch} without a terminal (as under surefire, in scripts and logs): exactly one frame from one
 * {@code /api/status}, then exit 0, against a canned status ({@link ApiStandIn}). Plus the history and the
 * sparkline it draws.
 */
class PerfWatchCommandTest {

  private static final String STATUS = """
      {"version":"1.4.0","uptimeSeconds":3725,"tmux":"tmux -L work","strategy":"event","ready":true,
       "paused":false,"pausedUntil":null,
       "cycles":{"total":1200,"skipped":1,"failed":0,"captures":3600,"reusedScreens":2400,
                 "p50Ms":8.5,"p95Ms":14.2,"p99Ms":20.0,"maxMs":31.5},
       "agents":{"total":3,"byState":{"starting":0,"working":2,"idle":1,"waiting":0}},
       "pool":{"size":2,"idle":1,"waiting":0,"inFlight":1,"created":3,"reused":90,"recycled":1,"replaced":0,
               "acquisitions":100,"timeouts":0,"failedBatches":0,"available":true,"unavailableReason":null},
       "caches":[{"layer":"pane_content","size":3,"maxSize":10000,"hits":2400,"misses":1200,"evictions":0,
                  "hitRate":0.667}],
       "journal":{"enabled":true,"path":"/b/journal.db","writable":true,"lastSeq":420,"entries":420,
                  "sizeBytes":1500000,"written":420,"writeFailures":0,"dropped":0,"lastError":null}}""";

  @TempDir
  Path dir;

  private BaseDir base;

  private String config;

  @BeforeEach
  void isolate() throws Exception {
    base = new BaseDir(dir.resolve("base"));
    System.setProperty(BaseDir.PROPERTY, base.path().toString());
    // always -c: without it the CLI would read the user's ~/.tmux-orchestrator/application.conf
    config = Files.writeString(dir.resolve("empty.conf"), "").toString();
  }

  @AfterEach
  void restore() {
    System.clearProperty(BaseDir.PROPERTY);
  }

  @Test
  void withoutATerminalItPrintsExactlyOneFrameAndExits() throws Exception {
    Assumptions.assumeTrue(System.console() == null, "stdout is a terminal here: perf watch would redraw");
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/status", 200, STATUS)) {

      ScanCommandTest.Run run = ScanCommandTest.cli("perf", "watch", "--interval", "1", "-c", config);

      assertEquals(0, run.status(), run.err());
      assertEquals(List.of("GET /api/status"), api.requests(), "one look, one frame");
      assertEquals(List.of(
          "tmux-orc monitor 1.4.0 at " + api.url() + ": strategy event, up 1h 2m",
          "cycle:   ▁  now 8.5 ms p50, 14.2 ms p95",
          "agents:  3, 2 working, 1 idle",
          "cycles:  1200 since start (0 failed, 1 skipped); last interval p50 8.5 ms, p95 14.2 ms, p99 20.0 ms, "
              + "max 31.5 ms; 3600 captures, 2400 screens reused",
          "pool:    2 clients (1 idle, 1 in flight, 0 waiting); 3 created, 1 recycled, 0 replaced, 100 "
              + "acquisitions, 0 timeouts, 0 failed batches",
          "cache:   pane_content  3 of 10000 entries; 2400 hits, 1200 misses (hit rate 0.667), 0 evictions",
          String.format("journal: /b/journal.db: 420 entries, %.1f MB, last seq 420; 420 written, 0 failed writes, "
              + "0 dropped", 1.5)), run.out().lines().toList());
      assertFalse(run.out().contains("\033["), "no screen control codes when not on a terminal");
    }
  }

  @Test
  void aMonitorThatAnswersWithAnErrorEndsItWithExitStatusOne() throws Exception {
    try (ApiStandIn api = ApiStandIn.start(dir, base).answer("/api/status", 503, "{\"error\":\"unavailable\"}")) {
      ScanCommandTest.Run run = ScanCommandTest.cli("perf", "watch", "-c", config);
      assertEquals(1, run.status(), run.out());
      assertTrue(run.err().contains("the monitor answered 503"), run.err());
      assertEquals("", run.out());
    }
  }

  @Test
  void withoutAMonitorItSaysSoWithExitStatusOne() {
    ScanCommandTest.Run run = ScanCommandTest.cli("perf", "watch", "-c", config);
    assertEquals(1, run.status(), run.out());
    assertTrue(run.err().contains("not running"), run.err());
  }

  @Test
  void anIntervalBelowOneSecondIsAUsageError() {
    ScanCommandTest.Run run = ScanCommandTest.cli("perf", "watch", "--interval", "0", "-c", config);
    assertEquals(2, run.status(), run.out());
    assertTrue(run.err().contains("--interval must be at least 1"), run.err());
  }

  @Test
  void theHistoryTakesEachReportIntervalOnceHoweverManyFramesShowIt() throws Exception {
    PerfWatchCommand watch = new PerfWatchCommand();
    watch.sample(Json.MAPPER.readTree("{\"cycles\":{\"p50Ms\":null,\"reportAt\":null}}")); // no report yet
    watch.sample(report("2026-11-30T09:00:10Z", 8.5));
    watch.sample(report("2026-11-30T09:00:10Z", 8.5)); // a frame every 5 s, a report every 10 s
    watch.sample(report("2026-11-30T09:00:20Z", 9.0));
    watch.sample(report("2026-11-30T09:00:30Z", 9.0)); // a new interval with the same p50 counts
    assertEquals(List.of(8.5, 9.0, 9.0), watch.history());
    for (int i = 0; i < PerfWatchCommand.HISTORY + 5; i++) {
      watch.sample(report(Instant.parse("2026-11-30T10:00:00Z").plusSeconds(10L * i).toString(), i));
    }
    assertEquals(PerfWatchCommand.HISTORY, watch.history().size(), "the oldest go");
    assertEquals(PerfWatchCommand.HISTORY + 4.0, watch.history().get(PerfWatchCommand.HISTORY - 1));
  }

  private static JsonNode report(String at, double p50) throws Exception {
    return Json.MAPPER.readTree("{\"cycles\":{\"p50Ms\":" + p50 + ",\"reportAt\":\"" + at + "\"}}");
  }

  @Test
  void theSparklineScalesEachValueBetweenTheSmallestAndTheLargest() {
    assertEquals("▁▂▃▄▅▆▇█", PerfWatchCommand.sparkline(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)));
    assertEquals("█▁", PerfWatchCommand.sparkline(List.of(40.0, 2.0)));
    // halfway rounds to the nearer bar: 3.5 of 7 steps is bar 4
    assertEquals("▁▅█", PerfWatchCommand.sparkline(List.of(0.0, 5.0, 10.0)));
    assertEquals("▁▁█▁", PerfWatchCommand.sparkline(List.of(3.0, 3.0, 9.0, 3.0)));
  }

  @Test
  void aFlatOrEmptyHistoryDrawsLowBarsOrNothing() {
    assertEquals("▁▁▁", PerfWatchCommand.sparkline(List.of(7.5, 7.5, 7.5)));
    assertEquals("▁", PerfWatchCommand.sparkline(List.of(0.0)));
    assertEquals("", PerfWatchCommand.sparkline(List.of()));
  }
}
