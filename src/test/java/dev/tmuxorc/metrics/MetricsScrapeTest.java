package dev.tmuxorc.metrics;

import dev.tmuxorc.monitor.CycleObserver;
import dev.tmuxorc.cache.CacheStats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.tmuxorc.testing.PrometheusText.parse;
import static dev.tmuxorc.testing.PrometheusText.sample;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.testing.PrometheusText;
import dev.tmuxorc.tmux.PoolStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code /metrics} serves is read back by a real Prometheus text parser ({@link PrometheusText}): every family
 * has the expected type, and the samples carry the values recorded.
 */
class MetricsScrapeTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  // Per test rather than per class, so that a skip is reported with its reason.
  @BeforeEach
  void needsTheParser() throws Exception {
    PrometheusText.assumeParser();
  }

  @Test
  void aRealParserReadsEveryFamilyAndItsValues() throws Exception {
    Metrics metrics = new Metrics("0.9.0-test", "concurrent");
    metrics.cycleSucceeded(CycleObserver.CycleKind.FULL, Duration.ofMillis(3));
    metrics.cycleSucceeded(CycleObserver.CycleKind.PARTIAL, Duration.ofMillis(700));
    metrics.cycleSkipped();
    metrics.captureSucceeded();
    metrics.captureFailed();
    metrics.screenReused();
    metrics.pool(new PoolStats(4, 3, 0, 1, 6, 90, 1, 1, 100, 2, 3, true, null, 2));
    metrics.cache(new CacheStats("pane_content", 12, 1000, 30, 10, 4, 0));
    metrics.journal(50, 1, 2, 65536);
    metrics.actorRestarted("tmux-pool");
    metrics.httpRequest("/api/agents/{paneId}", 404, Duration.ofMillis(5));
    metrics.httpRequest("/metrics", 200, Duration.ofMillis(1));
    metrics.sseClientConnected();
    metrics.sseClientDropped();
    feedAgents(metrics);

    Map<String, JsonNode> families = parse(metrics.scrape());

    Map<String, String> types = new TreeMap<>();
    families.forEach((name, family) -> types.put(name, family.get("type").asText()));
    Map<String, String> expected = new TreeMap<>();
    for (String counter : List.of("cycles", "captures", "capture_failures", "screens_reused", "hook_events",
        "pool_clients_created", "pool_client_reuses", "pool_clients_recycled", "pool_clients_replaced",
        "pool_acquisitions", "pool_acquisition_timeouts", "pool_failed_batches", "cache_hits", "cache_misses",
        "cache_evictions", "events", "journal_writes", "journal_write_failures", "journal_dropped",
        "actor_restarts", "http_requests", "sse_clients_dropped")) {
      expected.put("tmux_orc_" + counter, "counter"); // the parser names counter families without _total
    }
    for (String gauge : List.of("info", "uptime_seconds", "pool_clients", "pool_idle_clients", "pool_in_flight",
        "pool_waiting", "pool_available", "cache_size", "agents_by_state", "agents_by_health", "agents_by_kind", "agents_flagged",
        "journal_size_bytes", "sse_clients")) {
      expected.put("tmux_orc_" + gauge, "gauge");
    }
    for (String histogram : List.of("cycle_duration_seconds", "agent_state_duration_seconds",
        "http_request_duration_seconds")) {
      expected.put("tmux_orc_" + histogram, "histogram");
    }
    assertEquals(expected, types);

    assertEquals(1, sample(families, "tmux_orc_info", "tmux_orc_info", "version", "0.9.0-test",
        "strategy", "concurrent"));
    assertTrue(sample(families, "tmux_orc_uptime_seconds", "tmux_orc_uptime_seconds") > 0);
    assertEquals(2, sample(families, "tmux_orc_cycles", "tmux_orc_cycles_total", "outcome", "ok"));
    assertEquals(1, sample(families, "tmux_orc_cycles", "tmux_orc_cycles_total", "outcome", "skipped"));
    assertEquals(1, sample(families, "tmux_orc_cycle_duration_seconds", "tmux_orc_cycle_duration_seconds_bucket",
        "kind", "full", "le", "0.005"));
    assertEquals(0, sample(families, "tmux_orc_cycle_duration_seconds", "tmux_orc_cycle_duration_seconds_bucket",
        "kind", "partial", "le", "0.5"));
    assertEquals(1, sample(families, "tmux_orc_cycle_duration_seconds", "tmux_orc_cycle_duration_seconds_bucket",
        "kind", "partial", "le", "+Inf"));
    assertEquals(0.7, sample(families, "tmux_orc_cycle_duration_seconds", "tmux_orc_cycle_duration_seconds_sum",
        "kind", "partial"), 1e-9);
    assertEquals(2, sample(families, "tmux_orc_captures", "tmux_orc_captures_total"));
    assertEquals(100, sample(families, "tmux_orc_pool_acquisitions", "tmux_orc_pool_acquisitions_total"));
    assertEquals(3, sample(families, "tmux_orc_pool_idle_clients", "tmux_orc_pool_idle_clients"));
    assertEquals(30, sample(families, "tmux_orc_cache_hits", "tmux_orc_cache_hits_total", "layer", "pane_content"));
    assertEquals(12, sample(families, "tmux_orc_cache_size", "tmux_orc_cache_size", "layer", "pane_content"));
    assertEquals(65536, sample(families, "tmux_orc_journal_size_bytes", "tmux_orc_journal_size_bytes"));
    assertEquals(1, sample(families, "tmux_orc_http_requests", "tmux_orc_http_requests_total",
        "route", "/api/agents/{paneId}", "code", "404"));
    assertEquals(1, sample(families, "tmux_orc_agents_by_state", "tmux_orc_agents_by_state",
        "state", "working", "role", "pm"));
    assertEquals(1, sample(families, "tmux_orc_agent_state_duration_seconds",
        "tmux_orc_agent_state_duration_seconds_count", "state", "unknown"));
    assertEquals(1, sample(families, "tmux_orc_events", "tmux_orc_events_total", "type", "StateChanged"));
  }

  /** Runs a PM through discovery and one state change with a listener, as the event stream would. */
  private static void feedAgents(Metrics metrics) {
    testKit.spawn(MetricsListener.create(metrics));
    TestProbe<Void> waiter = testKit.createTestProbe();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    AgentPane pm = new AgentPane(new Pane(new PaneId("%0"), "$0", "fleet", 0, "pm", 0, 100, "claude", false,
        OptionalInt.empty(), t0, "pm"), Role.PM, AgentKind.CLAUDE);
    // Until the listener has subscribed, the discovery may be missed: repeat it (the same agent counts once).
    waiter.awaitAssert(() -> {
      testKit.system().eventStream().tell(new EventStream.Publish<>(new AgentEvent.AgentDiscovered(pm, t0)));
      assertEquals(1, Samples.total(metrics, "tmux_orc_agents_by_state"));
      return null;
    });
    testKit.system().eventStream().tell(new EventStream.Publish<>(new AgentEvent.StateChanged(pm,
        AgentState.UNKNOWN, AgentState.WORKING, List.of(), Optional.empty(), t0.plusSeconds(4))));
    waiter.awaitAssert(() -> {
      assertEquals(1, Samples.value(metrics, "tmux_orc_events_total", "type", "StateChanged"));
      return null;
    });
  }
}
