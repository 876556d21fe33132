package dev.tmuxorc.metrics;

import dev.tmuxorc.cache.CacheStats;
import dev.tmuxorc.actions.ActionObserver;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentFlag;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.monitor.CycleObserver;
import dev.tmuxorc.monitor.CycleReport;
import dev.tmuxorc.tmux.PoolStats;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every number tmux-orc serves at {@code /metrics}, in a registry of its own (not the client's global one, so
 * that tests and several actor systems in one JVM do not share series). Thread-safe: call it from actors,
 * stream threads and routes alike. Callers use the named methods and never see a label string.
 */
public final class Metrics implements CycleObserver, ActionObserver {

  /** The content type of {@link #scrape()}: the Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** The cache layers {@link #cache(CacheStats)} accepts; a fixed set keeps the {@code layer} label bounded. */
  public static final Set<String> CACHE_LAYERS = Set.of("pane_content", "agent_status", "session_info");

  /** At most this many distinct HTTP routes and actor names are labelled; later ones count as {@code other}. */
  static final int MAX_LABEL_VALUES = 64;

  private static final double[] CYCLE_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  private static final double[] STATE_BUCKETS =
      {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 21600};
  private static final double[] HTTP_BUCKETS =
      {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Histogram cycleDuration;
  private final Counter cycles;
  private final Counter captures;
  private final Counter captureFailures;
  private final Counter screensReused;
  private final Counter hookEvents;

  private final Gauge poolClients;
  private final Gauge poolIdle;
  private final Gauge poolInFlight;
  private final Gauge poolWaiting;
  private final Gauge poolAvailable;
  private final Total poolCreated;
  private final Total poolReused;
  private final Total poolRecycled;
  private final Total poolReplaced;
  private final Total poolAcquisitions;
  private final Total poolTimeouts;
  private final Total poolFailedBatches;

  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Counter cacheEvictions;
  private final Gauge cacheSize;
  private final Map<String, CacheTotals> cacheTotals = new ConcurrentHashMap<>();

  private final Gauge agentsByState;
  private final Gauge agentsByHealth;
  private final Gauge agentsByKind;
  private final Histogram stateDuration;
  private final Gauge agentsFlagged;
  private final Counter actions;
  private final Histogram attentionWait;
  private final Counter disagreements;
  private final Counter events;

  private final Total journalWrites;
  private final Total journalFailures;
  private final Total journalDropped;
  private final Gauge journalSize;

  private final Counter actorRestarts;
  private final BoundedLabel actors = new BoundedLabel(MAX_LABEL_VALUES);

  private final Counter httpRequests;
  private final Histogram httpDuration;
  private final BoundedLabel routes = new BoundedLabel(MAX_LABEL_VALUES);

  private final Gauge sseClients;
  private final Counter sseDropped;

  /**
   * @param version the running version ("(development build)" when not packaged)
   * @param strategy the monitoring strategy's wire name (polling, concurrent, event)
   */
  public Metrics(String version, String strategy) {
    cycleDuration = Histogram.builder().name("tmux_orc_cycle_duration_seconds").unit(Unit.SECONDS)
        .help("Duration of successful monitoring cycles, by kind (full: discovery and captures; partial: "
            + "changed panes only)")
        .labelNames("kind").classicOnly().classicUpperBounds(CYCLE_BUCKETS).register(registry);
    cycles = counter("tmux_orc_cycles_total", "Monitoring cycles by outcome (ok, failed, or skipped because "
        + "the previous one was still running)", "outcome");
    for (String outcome : new String[] {"ok", "failed", "skipped"}) {
      cycles.labelValues(outcome); // exported as 0 from the start
    }
    captures = counter("tmux_orc_captures_total", "Pane captures made, failed ones included");
    captureFailures = counter("tmux_orc_capture_failures_total", "Pane captures that failed");
    screensReused = counter("tmux_orc_screens_reused_total",
        "Screens a full cycle reused instead of capturing, because their window had no activity since");
    hookEvents = counter("tmux_orc_hook_events_total", "Hook events agents reported, by outcome (routed: reached "
        + "their agent; dropped: no agent for them within a minute, or too many waiting)", "outcome");
    for (String outcome : new String[] {"routed", "dropped"}) {
      hookEvents.labelValues(outcome);
    }

    poolClients = gauge("tmux_orc_pool_clients", "tmux clients in the pool");
    poolIdle = gauge("tmux_orc_pool_idle_clients", "Pool clients not carrying a batch");
    poolInFlight = gauge("tmux_orc_pool_in_flight", "Batches being carried by pool clients");
    poolWaiting = gauge("tmux_orc_pool_waiting", "Batches waiting for a pool client");
    poolAvailable = gauge("tmux_orc_pool_available", "1 when the pool can reach tmux, 0 while it cannot");
    poolCreated = new Total(counter("tmux_orc_pool_clients_created_total", "tmux clients the pool opened"));
    poolReused = new Total(counter("tmux_orc_pool_client_reuses_total",
        "Acquisitions served by a client that had carried a batch before"));
    poolRecycled = new Total(counter("tmux_orc_pool_clients_recycled_total",
        "Pool clients closed for age and replaced between batches"));
    poolReplaced = new Total(counter("tmux_orc_pool_clients_replaced_total",
        "Pool clients that died or failed a health check and were replaced"));
    poolAcquisitions = new Total(counter("tmux_orc_pool_acquisitions_total", "Batches given a pool client"));
    poolTimeouts = new Total(counter("tmux_orc_pool_acquisition_timeouts_total",
        "Batches that waited too long for a pool client"));
    poolFailedBatches = new Total(counter("tmux_orc_pool_failed_batches_total",
        "Batches that failed (client died, command timed out, tmux unreachable)"));

    cacheHits = counter("tmux_orc_cache_hits_total", "Cache hits by layer", "layer");
    cacheMisses = counter("tmux_orc_cache_misses_total", "Cache misses by layer", "layer");
    cacheEvictions = counter("tmux_orc_cache_evictions_total", "Cache evictions by layer", "layer");
    cacheSize = gauge("tmux_orc_cache_size", "Entries in each cache layer", "layer");
    for (String layer : CACHE_LAYERS) {
      cacheTotals.put(layer, new CacheTotals(layer));
    }

    agentsByState = gauge("tmux_orc_agents_by_state", "Watched agents by state and role", "state", "role");
    agentsByHealth = gauge("tmux_orc_agents_by_health", "Watched agents by health", "health");
    agentsByKind = gauge("tmux_orc_agents_by_kind", "Watched agents by agent program", "kind");
    // Every combination is exported from the start, so that dashboards see 0 rather than no series.
    for (AgentState state : AgentState.values()) {
      for (Role role : Role.values()) {
        agentsByState.labelValues(state.wireName(), role.wireName()).set(0);
      }
    }
    for (Health health : Health.values()) {
      agentsByHealth.labelValues(health.wireName()).set(0);
    }
    for (AgentKind kind : AgentKind.values()) {
      agentsByKind.labelValues(kind.wireName()).set(0);
    }
    stateDuration = Histogram.builder().name("tmux_orc_agent_state_duration_seconds").unit(Unit.SECONDS)
        .help("Time agents spent in a state, observed when they leave it").labelNames("state")
        .classicOnly().classicUpperBounds(STATE_BUCKETS).register(registry);
    agentsFlagged = gauge("tmux_orc_agents_flagged", "Watched agents with a flag raised (stalled, hooks_silent)",
        "flag");
    for (AgentFlag flag : AgentFlag.values()) {
      agentsFlagged.labelValues(flag.wireName()).set(0);
    }
    actions = counter("tmux_orc_actions_total", "Actions by action (pm-report, auto-submit, rate-limit-resume, "
        + "recovery, people) and outcome (delivered, deferred, held, suppressed, failed, returned, reported, "
        + "escalated, dry-run)", "action", "outcome");
    attentionWait = Histogram.builder().name("tmux_orc_attention_wait_seconds").unit(Unit.SECONDS)
        .help("Time an agent waited for attention: from entering a state that needs it (waiting, idle, "
            + "unsubmitted, crashed, error) to leaving it, for states that were reported").labelNames("state")
        .classicOnly().classicUpperBounds(STATE_BUCKETS).register(registry);
    disagreements = counter("tmux_orc_signal_disagreements_total",
        "Times an agent's hooks and its screen read different states for hooks.disagree-after, by both readings",
        "hook", "screen");
    events = counter("tmux_orc_events_total", "Events published on the event stream, by type", "type");
    for (Class<?> type : AgentEvent.class.getPermittedSubclasses()) {
      events.labelValues(type.getSimpleName());
    }
    events.labelValues(CycleReport.class.getSimpleName());

    journalWrites = new Total(counter("tmux_orc_journal_writes_total", "Entries written to the journal"));
    journalFailures = new Total(counter("tmux_orc_journal_write_failures_total", "Failed journal writes"));
    journalDropped = new Total(counter("tmux_orc_journal_dropped_total",
        "Events the journal dropped instead of writing them"));
    journalSize = gauge("tmux_orc_journal_size_bytes", "Size of the journal's files");

    actorRestarts = counter("tmux_orc_actor_restarts_total", "Actor restarts after a failure, by actor", "actor");

    httpRequests = counter("tmux_orc_http_requests_total", "HTTP requests by route template and status code",
        "route", "code");
    httpDuration = Histogram.builder().name("tmux_orc_http_request_duration_seconds").unit(Unit.SECONDS)
        .help("HTTP request duration by route template").labelNames("route")
        .classicOnly().classicUpperBounds(HTTP_BUCKETS).register(registry);

    sseClients = gauge("tmux_orc_sse_clients", "Server-sent-event clients connected");
    sseDropped = counter("tmux_orc_sse_clients_dropped_total",
        "Server-sent-event clients disconnected because they could not keep up");

    Info.builder().name("tmux_orc_info").help("The running tmux-orc: version and monitoring strategy")
        .labelNames("version", "strategy").register(registry).setLabelValues(version, strategy);
    GaugeWithCallback.builder().name("tmux_orc_uptime_seconds").unit(Unit.SECONDS)
        .help("Seconds since the process started")
        .callback(callback -> callback.call(Unit.millisToSeconds(ManagementFactory.getRuntimeMXBean().getUptime())))
        .register(registry);
  }

  private Counter counter(String name, String help, String... labels) {
    return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  private Gauge gauge(String name, String help, String... labels) {
    return Gauge.builder().name(name).help(help).labelNames(labels).register(registry);
  }

  // --- monitoring cycles and captures (the Supervisor) ---

  /** A cycle finished successfully after {@code took}. */
  @Override
  public void cycleSucceeded(CycleKind kind, Duration took) {
    cycles.labelValues("ok").inc();
    cycleDuration.labelValues(kind.label()).observe(seconds(took));
  }

  /** A cycle finished, but its listing or sweep failed (its duration is not observed: it is a timeout's). */
  @Override
  public void cycleFailed() {
    cycles.labelValues("failed").inc();
  }

  /** A cycle was due but not started, because the previous one was still running. */
  @Override
  public void cycleSkipped() {
    cycles.labelValues("skipped").inc();
  }

  /** A pane was captured. */
  @Override
  public void captureSucceeded() {
    captures.inc();
  }

  /** A capture failed; it counts as a capture too. */
  @Override
  public void captureFailed() {
    captures.inc();
    captureFailures.inc();
  }

  /** A full cycle reused a screen instead of capturing it. */
  @Override
  public void hookRouted() {
    hookEvents.labelValues("routed").inc();
  }

  @Override
  public void hookDropped() {
    hookEvents.labelValues("dropped").inc();
  }

  @Override
  public void screenReused() {
    screensReused.inc();
  }

  // --- numbers kept elsewhere as cumulative totals ---

  /** The pool's latest snapshot: gauges are set, counters advance by what changed since the last one. */
  public void pool(PoolStats stats) {
    poolClients.set(stats.size());
    poolIdle.set(stats.idle());
    poolInFlight.set(stats.inFlight());
    poolWaiting.set(stats.waiting());
    poolAvailable.set(stats.available() ? 1 : 0);
    poolCreated.advanceTo(stats.created());
    poolReused.advanceTo(stats.reused());
    poolRecycled.advanceTo(stats.recycled());
    poolReplaced.advanceTo(stats.replaced());
    poolAcquisitions.advanceTo(stats.acquisitions());
    poolTimeouts.advanceTo(stats.timeouts());
    poolFailedBatches.advanceTo(stats.failedBatches());
  }

  /**
   * A cache layer's latest numbers (cumulative, as Caffeine reports them).
   *
   * @throws IllegalArgumentException if the layer is not one of {@link #CACHE_LAYERS}
   */
  public void cache(CacheStats stats) {
    CacheTotals totals = cacheTotals.get(stats.layer());
    if (totals == null) {
      throw new IllegalArgumentException("unknown cache layer '" + stats.layer() + "', not one of " + CACHE_LAYERS);
    }
    totals.advanceTo(stats);
  }

  /** The journal's cumulative counts and the current size of its files. */
  public void journal(long written, long failures, long dropped, long sizeBytes) {
    journalWrites.advanceTo(written);
    journalFailures.advanceTo(failures);
    journalDropped.advanceTo(dropped);
    journalSize.set(sizeBytes);
  }

  // --- actors, HTTP, SSE ---

  /**
   * An actor is restarting after a failure. Pass what the actor is ("agent", "tmux-pool", "change-watcher"),
   * not its unique name: beyond {@value #MAX_LABEL_VALUES} distinct values they all count as {@code other}.
   */
  public void actorRestarted(String actor) {
    actorRestarts.labelValues(actors.admit(actor)).inc();
  }

  /**
   * An HTTP request was answered. {@code route} is the route's template ({@code /api/agents/{paneId}}), never
   * the request's path: beyond {@value #MAX_LABEL_VALUES} distinct routes they all count as {@code other}.
   */
  public void httpRequest(String route, int code, Duration took) {
    String label = routes.admit(route);
    httpRequests.labelValues(label, code >= 100 && code <= 599 ? Integer.toString(code) : "other").inc();
    httpDuration.labelValues(label).observe(seconds(took));
  }

  /** A server-sent-event client connected. */
  public void sseClientConnected() {
    sseClients.inc();
  }

  /** A server-sent-event client disconnected, for whatever reason (dropped ones too). */
  public void sseClientDisconnected() {
    sseClients.dec();
  }

  /** A server-sent-event client was dropped for being too slow; call {@link #sseClientDisconnected()} as well. */
  public void sseClientDropped() {
    sseDropped.inc();
  }

  // --- fed by MetricsListener from the event stream ---

  /** An event of this type (its record's simple name) was published. */
  void eventSeen(String type) {
    events.labelValues(type).inc();
  }

  /** Adds {@code delta} (+1 or -1) agents with these attributes to the by-state, by-health and by-kind gauges. */
  void agentsCounted(AgentState state, Role role, Health health, AgentKind kind, int delta) {
    agentsByState.labelValues(state.wireName(), role.wireName()).inc(delta);
    agentsByHealth.labelValues(health.wireName()).inc(delta);
    agentsByKind.labelValues(kind.wireName()).inc(delta);
  }

  /** An action ended with this outcome (both bounded vocabularies of docs/actions.md). */
  @Override
  public void acted(String action, String outcome) {
    actions.labelValues(action, outcome).inc();
  }

  @Override
  public void waited(String state, Duration waited) {
    attentionWait.labelValues(state).observe(seconds(waited));
  }

  /** Adds {@code delta} (+1 or -1) agents to those with {@code flag} raised. */
  void agentsFlagged(AgentFlag flag, int delta) {
    agentsFlagged.labelValues(flag.wireName()).inc(delta);
  }

  /** Hooks read {@code hook} while the screen read {@code screen} (both bounded vocabularies). */
  void disagreement(AgentState hook, AgentState screen) {
    disagreements.labelValues(hook.wireName(), screen.wireName()).inc();
  }

  /** An agent left {@code state} after {@code spent} in it. */
  void stateLeft(AgentState state, Duration spent) {
    stateDuration.labelValues(state.wireName()).observe(seconds(spent));
  }

  // --- exposition ---

  /** The current values, for tests and other exporters. */
  MetricSnapshots snapshot() {
    return registry.scrape();
  }

  /** Every metric in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}). */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Writes {@link #scrape()}'s text to {@code out}, which is left open. */
  public void writeTo(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }

  private static double seconds(Duration duration) {
    return Unit.nanosToSeconds(duration.toNanos());
  }

  /**
   * A counter fed from a cumulative total kept elsewhere: it advances by what the total grew since the last
   * look, so that it only goes up. A total lower than the last one means its owner restarted from zero, so
   * all of it is new.
   */
  private static final class Total {
    private final CounterDataPoint counter;
    private long last;

    Total(CounterDataPoint counter) {
      this.counter = counter;
    }

    synchronized void advanceTo(long total) {
      long now = Math.max(0, total);
      long delta = now >= last ? now - last : now;
      if (delta > 0) {
        counter.inc(delta);
      }
      last = now;
    }
  }

  /** One cache layer's counters, advanced together. */
  private final class CacheTotals {
    private final String layer;
    private final Total hits;
    private final Total misses;
    private final Total evictions;

    CacheTotals(String layer) {
      this.layer = layer;
      this.hits = new Total(cacheHits.labelValues(layer));
      this.misses = new Total(cacheMisses.labelValues(layer));
      this.evictions = new Total(cacheEvictions.labelValues(layer));
      cacheSize.labelValues(layer).set(0);
    }

    void advanceTo(CacheStats stats) {
      hits.advanceTo(stats.hits());
      misses.advanceTo(stats.misses());
      evictions.advanceTo(stats.evictions());
      cacheSize.labelValues(layer).set(stats.size());
    }
  }
}
