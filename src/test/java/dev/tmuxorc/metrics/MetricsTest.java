package dev.tmuxorc.metrics;

import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.monitor.CycleObserver;
import dev.tmuxorc.cache.CacheStats;
import static dev.tmuxorc.metrics.Samples.count;
import static dev.tmuxorc.metrics.Samples.series;
import static dev.tmuxorc.metrics.Samples.sum;
import static dev.tmuxorc.metrics.Samples.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.tmux.PoolStats;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The named methods of {@link Metrics} land in the right series, and counters fed from totals only go up. */
class MetricsTest {

  private final Metrics metrics = new Metrics("1.2.3", "event");

  @Test
  void cyclesAreCountedByOutcomeAndTimedByKind() {
    metrics.cycleSucceeded(CycleObserver.CycleKind.FULL, Duration.ofMillis(3));
    metrics.cycleSucceeded(CycleObserver.CycleKind.FULL, Duration.ofMillis(40));
    metrics.cycleSucceeded(CycleObserver.CycleKind.PARTIAL, Duration.ofMillis(1));
    metrics.cycleFailed();
    metrics.cycleSkipped();
    metrics.cycleSkipped();

    assertEquals(3, value(metrics, "tmux_orc_cycles_total", "outcome", "ok"));
    assertEquals(1, value(metrics, "tmux_orc_cycles_total", "outcome", "failed"));
    assertEquals(2, value(metrics, "tmux_orc_cycles_total", "outcome", "skipped"));
    assertEquals(2, count(metrics, "tmux_orc_cycle_duration_seconds", "kind", "full"));
    assertEquals(0.043, sum(metrics, "tmux_orc_cycle_duration_seconds", "kind", "full"), 1e-9);
    assertEquals(1, count(metrics, "tmux_orc_cycle_duration_seconds", "kind", "partial"));
  }

  @Test
  void outcomesAreExportedBeforeTheyHappen() {
    assertEquals(3, series(metrics, "tmux_orc_cycles_total").size());
    assertEquals(0, value(metrics, "tmux_orc_cycles_total", "outcome", "failed"));
  }

  @Test
  void failedCapturesAreCapturesToo() {
    metrics.captureSucceeded();
    metrics.captureSucceeded();
    metrics.captureFailed();
    metrics.screenReused();

    assertEquals(3, value(metrics, "tmux_orc_captures_total"));
    assertEquals(1, value(metrics, "tmux_orc_capture_failures_total"));
    assertEquals(1, value(metrics, "tmux_orc_screens_reused_total"));
  }

  @Test
  void poolSnapshotsSetGaugesAndAdvanceCountersByTheirGrowth() {
    metrics.pool(pool(4, 3, 1, 0, 5, 100, true));
    metrics.pool(pool(6, 2, 4, 2, 8, 250, true));

    assertEquals(6, value(metrics, "tmux_orc_pool_clients"));
    assertEquals(2, value(metrics, "tmux_orc_pool_idle_clients"));
    assertEquals(4, value(metrics, "tmux_orc_pool_in_flight"));
    assertEquals(2, value(metrics, "tmux_orc_pool_waiting"));
    assertEquals(1, value(metrics, "tmux_orc_pool_available"));
    assertEquals(8, value(metrics, "tmux_orc_pool_clients_created_total"));
    assertEquals(250, value(metrics, "tmux_orc_pool_acquisitions_total"));
    assertEquals(250 / 10, value(metrics, "tmux_orc_pool_acquisition_timeouts_total"));
    assertEquals(8 + 1, value(metrics, "tmux_orc_pool_clients_recycled_total"));
    assertEquals(8 + 2, value(metrics, "tmux_orc_pool_clients_replaced_total"));
    assertEquals(250 - 8, value(metrics, "tmux_orc_pool_client_reuses_total"));
    assertEquals(250 / 20, value(metrics, "tmux_orc_pool_failed_batches_total"));

    // The pool restarted: its counts began again from zero, and all it counts now is new.
    metrics.pool(pool(1, 1, 0, 0, 1, 30, false));

    assertEquals(0, value(metrics, "tmux_orc_pool_available"));
    assertEquals(1, value(metrics, "tmux_orc_pool_clients"));
    assertEquals(9, value(metrics, "tmux_orc_pool_clients_created_total"));
    assertEquals(280, value(metrics, "tmux_orc_pool_acquisitions_total"));

    metrics.pool(pool(1, 1, 0, 0, 1, 35, true));
    assertEquals(9, value(metrics, "tmux_orc_pool_clients_created_total"));
    assertEquals(285, value(metrics, "tmux_orc_pool_acquisitions_total"));
  }

  @Test
  void countersNeverDecreaseWhateverTheTotalsDo() {
    Random random = new Random(42);
    Map<String, Double> last = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      long base = random.nextInt(1000);
      metrics.pool(pool(random.nextInt(8), random.nextInt(8), random.nextInt(8), random.nextInt(8), base / 10,
          base, random.nextBoolean()));
      metrics.cache(new CacheStats("pane_content", random.nextInt(100), 100, random.nextInt(1000),
          random.nextInt(1000), random.nextInt(1000), 0));
      metrics.journal(random.nextInt(1000), random.nextInt(10), random.nextInt(10), random.nextInt(1 << 20));
      for (MetricSnapshot snapshot : metrics.snapshot()) {
        if (snapshot instanceof CounterSnapshot counters) {
          for (DataPointSnapshot point : counters.getDataPoints()) {
            String key = snapshot.getMetadata().getName() + point.getLabels();
            double now = ((CounterSnapshot.CounterDataPointSnapshot) point).getValue();
            Double before = last.put(key, now);
            assertTrue(before == null || now >= before, key + " went from " + before + " to " + now);
          }
        }
      }
    }
  }

  @Test
  void cacheLayersAdvanceSeparately() {
    metrics.cache(new CacheStats("pane_content", 40, 1000, 10, 5, 0, 0));
    metrics.cache(new CacheStats("agent_status", 7, 100, 3, 1, 2, 0));
    metrics.cache(new CacheStats("pane_content", 42, 1000, 25, 6, 1, 0));

    assertEquals(25, value(metrics, "tmux_orc_cache_hits_total", "layer", "pane_content"));
    assertEquals(6, value(metrics, "tmux_orc_cache_misses_total", "layer", "pane_content"));
    assertEquals(1, value(metrics, "tmux_orc_cache_evictions_total", "layer", "pane_content"));
    assertEquals(42, value(metrics, "tmux_orc_cache_size", "layer", "pane_content"));
    assertEquals(3, value(metrics, "tmux_orc_cache_hits_total", "layer", "agent_status"));
    assertEquals(2, value(metrics, "tmux_orc_cache_evictions_total", "layer", "agent_status"));
    assertEquals(0, value(metrics, "tmux_orc_cache_hits_total", "layer", "session_info"));
    assertEquals(3, series(metrics, "tmux_orc_cache_size").size());
  }

  @Test
  void anUnknownCacheLayerIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> metrics.cache(new CacheStats("pane_contents", 1, 1, 1, 1, 1, 0)));
    assertEquals(3, series(metrics, "tmux_orc_cache_hits_total").size());
  }

  @Test
  void journalTotalsAdvanceAndItsSizeIsSet() {
    metrics.journal(10, 0, 0, 4096);
    metrics.journal(15, 1, 2, 8192);
    metrics.journal(3, 0, 0, 512); // reopened: counting from zero again

    assertEquals(18, value(metrics, "tmux_orc_journal_writes_total"));
    assertEquals(1, value(metrics, "tmux_orc_journal_write_failures_total"));
    assertEquals(2, value(metrics, "tmux_orc_journal_dropped_total"));
    assertEquals(512, value(metrics, "tmux_orc_journal_size_bytes"));
  }

  @Test
  void httpRoutesAndCodesAreLabelled() {
    metrics.httpRequest("/api/agents/{paneId}", 200, Duration.ofMillis(2));
    metrics.httpRequest("/api/agents/{paneId}", 404, Duration.ofMillis(1));
    metrics.httpRequest("/api/agents/{paneId}", 200, Duration.ofMillis(3));
    metrics.httpRequest("/metrics", 200, Duration.ofMillis(1));
    metrics.httpRequest("/metrics", 42, Duration.ofMillis(1));

    assertEquals(2, value(metrics, "tmux_orc_http_requests_total", "code", "200", "route", "/api/agents/{paneId}"));
    assertEquals(1, value(metrics, "tmux_orc_http_requests_total", "code", "404", "route", "/api/agents/{paneId}"));
    assertEquals(1, value(metrics, "tmux_orc_http_requests_total", "code", "other", "route", "/metrics"));
    assertEquals(3, count(metrics, "tmux_orc_http_request_duration_seconds", "route", "/api/agents/{paneId}"));
    assertEquals(0.006, sum(metrics, "tmux_orc_http_request_duration_seconds", "route", "/api/agents/{paneId}"),
        1e-9);
  }

  @Test
  void callerChosenLabelsAreBounded() {
    // A caller passing raw paths and per-agent actor names must not create a series per value.
    IntStream.range(0, 1000).forEach(i -> {
      metrics.httpRequest("/api/agents/%" + i, 200, Duration.ofMillis(1));
      metrics.actorRestarted("agent-" + i + "-" + i);
    });
    metrics.actorRestarted(null);

    assertEquals(Metrics.MAX_LABEL_VALUES + 1, series(metrics, "tmux_orc_http_requests_total").size());
    assertEquals(Metrics.MAX_LABEL_VALUES + 1, series(metrics, "tmux_orc_http_request_duration_seconds").size());
    assertEquals(Metrics.MAX_LABEL_VALUES + 1, series(metrics, "tmux_orc_actor_restarts_total").size());
    assertEquals(1000 - Metrics.MAX_LABEL_VALUES,
        value(metrics, "tmux_orc_http_requests_total", "code", "200", "route", "other"));
    assertEquals(1000 - Metrics.MAX_LABEL_VALUES + 1, value(metrics, "tmux_orc_actor_restarts_total", "actor", "other"));
    assertEquals(1000, Samples.total(metrics, "tmux_orc_http_requests_total"));
  }

  @Test
  void actorRestartsAreCountedByActor() {
    metrics.actorRestarted("tmux-pool");
    metrics.actorRestarted("tmux-pool");
    metrics.actorRestarted("agent");

    assertEquals(2, value(metrics, "tmux_orc_actor_restarts_total", "actor", "tmux-pool"));
    assertEquals(1, value(metrics, "tmux_orc_actor_restarts_total", "actor", "agent"));
  }

  @Test
  void sseClientsAreGaugedAndDropsCounted() {
    metrics.sseClientConnected();
    metrics.sseClientConnected();
    metrics.sseClientConnected();
    metrics.sseClientDropped();
    metrics.sseClientDisconnected();

    assertEquals(2, value(metrics, "tmux_orc_sse_clients"));
    assertEquals(1, value(metrics, "tmux_orc_sse_clients_dropped_total"));
  }

  @Test
  void eachInstanceHasItsOwnRegistry() {
    Metrics other = new Metrics("1.2.3", "event");
    metrics.captureSucceeded();

    assertEquals(1, value(metrics, "tmux_orc_captures_total"));
    assertEquals(0, value(other, "tmux_orc_captures_total"));
  }

  @Test
  void theTextFormatCarriesInfoUptimeAndItsContentType() throws Exception {
    metrics.captureFailed();
    String text = metrics.scrape();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.writeTo(out);

    assertEquals("text/plain; version=0.0.4; charset=utf-8", Metrics.CONTENT_TYPE);
    assertTrue(text.contains("tmux_orc_info{strategy=\"event\",version=\"1.2.3\"} 1"), text);
    assertTrue(text.contains("# TYPE tmux_orc_uptime_seconds gauge"), text);
    assertTrue(text.contains("tmux_orc_captures_total 1"), text);
    assertEquals(text.replaceAll("tmux_orc_uptime_seconds .*", ""),
        out.toString(StandardCharsets.UTF_8).replaceAll("tmux_orc_uptime_seconds .*", ""));
    List<String> names = text.lines().filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" ")[2])
        .toList();
    assertTrue(names.stream().allMatch(name -> name.startsWith("tmux_orc_")), names.toString());
  }

  @Test
  void everyMetricIsDocumentedAndEveryDocumentedOneExists() throws Exception {
    metrics.cycleSucceeded(CycleObserver.CycleKind.FULL, Duration.ofMillis(1)); // histograms appear on first use
    metrics.httpRequest("/metrics", 200, Duration.ofMillis(1));
    metrics.actorRestarted("agent");
    metrics.disagreement(AgentState.WORKING, AgentState.IDLE); // labelled counters appear on first use
    metrics.acted("pm-report", "delivered");
    metrics.waited("waiting", Duration.ofSeconds(90));
    Set<String> exported = new TreeSet<>(metrics.scrape().lines()
        .filter(line -> line.startsWith("# TYPE ")).map(line -> line.split(" ")[2]).toList());
    exported.add("tmux_orc_agent_state_duration_seconds"); // observed by the listener only
    String docs = Files.readString(Path.of("docs", "operations.md"));
    Set<String> documented = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `(tmux_orc_[a-z_]+)` \\|").matcher(docs);
    while (row.find()) {
      documented.add(row.group(1));
    }
    assertEquals(exported, documented);
  }

  /** A pool snapshot whose counters are derived from {@code created} and {@code acquisitions}. */
  private static PoolStats pool(int size, int idle, int inFlight, int waiting, long created, long acquisitions,
      boolean available) {
    return new PoolStats(size, idle, waiting, inFlight, created, acquisitions - created, created + 1, created + 2,
        acquisitions, acquisitions / 10, acquisitions / 20, available, available ? null : "tmux is down",
        acquisitions / 10);
  }
}
