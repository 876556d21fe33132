package dev.tmuxorc.metrics;

import dev.tmuxorc.monitor.CycleObserver;
import dev.tmuxorc.cache.CacheStats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.tmux.PoolStats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code /metrics} serves is read back by a real Prometheus text parser, Debian's python3-prometheus-client
 * (client_java has none): every family has the expected type, and the samples carry the values recorded.
 */
class MetricsScrapeTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Reads the text format on stdin and prints its families as JSON: name, type and samples. */
  private static final String PARSE = String.join("\n",
      "import sys, json",
      "from prometheus_client.parser import text_string_to_metric_families as parse",
      "print(json.dumps([{'name': f.name, 'type': f.type,",
      "    'samples': [{'name': s.name, 'labels': s.labels, 'value': s.value} for s in f.samples]}",
      "    for f in parse(sys.stdin.read())]))");

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  // Per test rather than per class, so that a skip is reported with its reason.
  @BeforeEach
  void needsTheParser() throws Exception {
    boolean available = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
        "import prometheus_client.parser").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor() == 0;
    String missing = "/usr/bin/python3 cannot import prometheus_client: apt-get install python3-prometheus-client";
    if (!available && "true".equals(System.getenv("CI"))) {
      fail(missing + " (CI installs it, so its absence is an error there)");
    }
    Assumptions.assumeTrue(available, missing);
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
    metrics.pool(new PoolStats(4, 3, 0, 1, 6, 90, 1, 1, 100, 2, 3, true, null));
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
    for (String counter : List.of("cycles", "captures", "capture_failures", "screens_reused",
        "pool_clients_created", "pool_client_reuses", "pool_clients_recycled", "pool_clients_replaced",
        "pool_acquisitions", "pool_acquisition_timeouts", "pool_failed_batches", "cache_hits", "cache_misses",
        "cache_evictions", "events", "journal_writes", "journal_write_failures", "journal_dropped",
        "actor_restarts", "http_requests", "sse_clients_dropped")) {
      expected.put("tmux_orc_" + counter, "counter"); // the parser names counter families without _total
    }
    for (String gauge : List.of("info", "uptime_seconds", "pool_clients", "pool_idle_clients", "pool_in_flight",
        "pool_waiting", "pool_available", "cache_size", "agents_by_state", "agents_by_health", "agents_by_kind",
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

  /** The value of one sample of a family, found by sample name and exact labels. */
  private static double sample(Map<String, JsonNode> families, String family, String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    JsonNode found = families.get(family);
    assertTrue(found != null, "no family " + family);
    for (JsonNode sample : found.get("samples")) {
      Map<String, String> have = new HashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = sample.get("labels").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> label = it.next();
        have.put(label.getKey(), label.getValue().asText());
      }
      if (sample.get("name").asText().equals(name) && have.equals(wanted)) {
        return sample.get("value").asDouble();
      }
    }
    return fail("no sample " + name + wanted + " in " + found);
  }

  private static Map<String, JsonNode> parse(String text) throws IOException, InterruptedException {
    Path errors = Files.createTempFile("prometheus-parse", ".err");
    try {
      Process python = new ProcessBuilder(PYTHON.toString(), "-c", PARSE)
          .redirectError(errors.toFile()).start();
      try (OutputStream in = python.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(python.waitFor(60, TimeUnit.SECONDS), "the parser did not finish");
      assertEquals(0, python.exitValue(), () -> "the parser refused the text: " + read(errors) + "\n" + text);
      Map<String, JsonNode> families = new TreeMap<>();
      for (JsonNode family : Json.MAPPER.readTree(out)) {
        assertTrue(families.put(family.get("name").asText(), family) == null, "two families named " + family);
      }
      return families;
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
