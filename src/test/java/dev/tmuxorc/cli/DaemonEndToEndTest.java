package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.ProcessCheck;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.DaemonBase;
import dev.tmuxorc.testing.PrometheusText;
import dev.tmuxorc.testing.Poll;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when", end to end with real parts only: {@code monitor start} runs the real detached
 * monitor on a private tmux server whose agent pane is the fake Claude agent driven by keys; the test follows it
 * through {@code /api/agents}, the SSE event stream (live, then resumed with {@code Last-Event-ID} after missing
 * events), {@code /metrics} read by the real Prometheus parser, {@code status}, {@code health} and
 * {@code perf watch}, and finally {@code monitor stop}, after which nothing of the monitor is left.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // a hang guard only: nothing here asserts on timings
class DaemonEndToEndTest {

  private static final Path FAKE_AGENT = Path.of("loadtest", "agents", "fake-agent.sh").toAbsolutePath();
  /** Generous: the machine may be loaded; every wait ends as soon as its condition holds. */
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<EventStream> streams = new ArrayList<>();

  @RegisterExtension
  final DaemonBase daemons = new DaemonBase();
  private BaseDir base;
  private long daemonPid = -1;

  @BeforeEach
  void isolate() {
    base = daemons.base();
  }

  @AfterEach
  void cleanUp() {
    streams.forEach(EventStream::close);
  }

  @Test
  void aStartedMonitorServesAgentsResumableEventsMetricsStatusAndHealthThenStopsWithoutALeftover()
      throws Exception {
    // An agent whose state changes on demand: typing makes it unsubmitted, Enter working, Esc idle again.
    // --react 600: a key-made state holds for the whole test instead of falling back on a timer.
    tmux.session("proj", "claude-1", "exec '" + FAKE_AGENT + "' --argv0 claude --layout top --interactive "
        + "--react 600 --state idle");
    String pane = tmux.paneId("proj:claude-1");
    // The default (event) strategy as users run it; a short safety-net sweep; a cycle report every second so
    // that the journal also fills on its own while the stream is disconnected.
    Path config = Files.writeString(dir.resolve("test.conf"), String.join("\n",
        "tmux-orc.monitoring.check-interval = 2s",
        "tmux-orc.monitoring.report-interval = 1s",
        "tmux-orc.tmux.reconnect-backoff { min = 50ms, max = 200ms }", ""));
    String conf = config.toString();

    // 1. monitor start: the real detached child, found through the files it records.
    ScanCommandTest.Run start = ScanCommandTest.cli("monitor", "start", "--http-port", "0", "--timeout", "60s",
        "-L", tmux.socket(), "-c", conf);
    DaemonRecord record = daemons.record().orElse(null);
    daemonPid = daemons.lastPid();
    assertEquals(0, start.status(), start.out() + start.err());
    assertTrue(record != null && record.url() != null, "monitor.json names the API: " + record);
    URI api = URI.create(record.url());

    // 2. /api/agents lists the agent, idle, as a Claude agent.
    JsonNode agents = awaitJson(api.resolve("/api/agents"), list -> find(list, pane) != null, "the agent listed");
    JsonNode agent = find(agents, pane);
    assertEquals("claude-1", agent.path("windowName").asText());
    assertEquals("agent", agent.path("role").asText());
    assertEquals("claude", agent.path("kind").asText());
    awaitState(api, pane, "idle");

    // 3. Live events: the state change made while following arrives with its id.
    List<Event> live = new ArrayList<>();
    Event unsubmitted;
    try (EventStream stream = follow(api, Map.of())) {
      tmux.tmux("send-keys", "-t", pane, "-l", "x");
      unsubmitted = stream.await(e -> stateChange(e, pane, "unsubmitted"), live);
    }
    assertEquals("idle", unsubmitted.data().path("from").asText(), unsubmitted.toString());
    assertConsecutive(live);
    long lastSeen = unsubmitted.id();

    // 4. Disconnected: two more state changes happen, and cycle reports go on.
    tmux.tmux("send-keys", "-t", pane, "Enter");
    awaitState(api, pane, "working");
    tmux.tmux("send-keys", "-t", pane, "Escape");
    awaitState(api, pane, "idle");

    // Reconnected with Last-Event-ID: every missed entry, from the very next id, without a gap or a duplicate.
    List<Event> resumed = new ArrayList<>();
    try (EventStream stream = follow(api, Map.of("Last-Event-ID", Long.toString(lastSeen)))) {
      stream.await(e -> stateChange(e, pane, "idle") && e.data().path("from").asText().equals("working"), resumed);
    }
    assertEquals(lastSeen + 1, resumed.get(0).id(), "the stream resumes right after the last id seen");
    assertConsecutive(resumed);
    List<String> missedStates = resumed.stream().filter(e -> e.type().equals("StateChanged")
        && pane.equals(e.data().path("paneId").asText())).map(e -> e.data().path("to").asText()).toList();
    assertEquals(List.of("working", "idle"), missedStates, "both changes made while disconnected");

    // The journal file, read by `tmux-orc events --json`, holds exactly these entries in that range.
    long lastResumed = resumed.get(resumed.size() - 1).id();
    List<JsonNode> journal = await(() -> journal(conf), entries -> !entries.isEmpty()
        && entries.get(entries.size() - 1).path("seq").asLong() >= lastResumed, "the journal written to disk");
    assertEquals(ids(live), journalRange(journal, live.get(0).id(), lastSeen), "live entries = the journal's");
    assertEquals(ids(resumed), journalRange(journal, lastSeen + 1, lastResumed), "resumed entries = the journal's");
    for (Event event : resumed) {
      JsonNode stored = journal.stream().filter(j -> j.path("seq").asLong() == event.id()).findFirst().orElseThrow();
      assertEquals(event.type(), stored.path("type").asText(), "seq " + event.id());
      assertEquals(event.data().path("paneId").asText(), stored.path("paneId").asText(), "seq " + event.id());
    }

    // 5. /metrics, scraped now, parsed at the end: without the parser only that part is skipped.
    HttpResponse<String> metrics = get(api.resolve("/metrics"));
    assertEquals(200, metrics.statusCode(), metrics.body());

    // 6. status --detailed and health --json through the running monitor.
    ScanCommandTest.Run status = ScanCommandTest.cli("status", "--detailed", "-c", conf);
    assertEquals(0, status.status(), status.err());
    assertTrue(status.out().startsWith("tmux-orc monitor "), status.out());
    assertTrue(status.out().contains(" at " + record.url()), status.out());
    String row = status.out().lines().filter(l -> l.contains(pane + " ")).findFirst().orElse("");
    assertTrue(row.contains("claude") && row.contains("idle") && row.contains("claude-1"), status.out());
    for (String line : List.of("cycles:", "pool:", "cache:", "journal:")) {
      assertTrue(status.out().lines().anyMatch(l -> l.startsWith(line)), line + " in\n" + status.out());
    }
    assertTrue(status.out().contains("journal: " + base.journal()), status.out());

    ScanCommandTest.Run health = ScanCommandTest.cli("health", "--json", "-c", conf);
    JsonNode report = Json.MAPPER.readTree(health.out());
    Map<String, JsonNode> checks = new HashMap<>();
    List<String> names = new ArrayList<>();
    report.path("checks").forEach(c -> {
      names.add(c.path("name").asText());
      checks.put(c.path("name").asText(), c);
    });
    assertEquals(List.of("tmux reachable", "cycle p95", "pool timeouts", "cache hit rate", "agents critical",
        "agents unresponsive", "hooks flowing", "journal writable"), names, health.out());
    // What is true of this setup whatever the machine's load: tmux is there, the one agent is idle and
    // healthy, and the journal file is writable. The exit status agrees with the verdict.
    for (String mustPass : List.of("tmux reachable", "pool timeouts", "agents critical", "agents unresponsive",
        "journal writable")) {
      assertTrue(checks.get(mustPass).path("ok").asBoolean(), mustPass + ": " + health.out());
    }
    assertTrue(checks.get("journal writable").path("detail").asText().contains(base.journal().toString()),
        health.out());
    assertEquals(report.path("healthy").asBoolean() ? 0 : 1, health.status(), health.out());

    // perf watch without a terminal: one frame, then exit 0.
    ScanCommandTest.Run perf = ScanCommandTest.cli("perf", "watch", "-c", conf);
    assertEquals(0, perf.status(), perf.err());
    assertEquals(1, perf.out().lines().filter(l -> l.startsWith("tmux-orc monitor ")).count(), perf.out());
    assertTrue(perf.out().contains("agents:  1, 1 idle"), perf.out());

    // 7. monitor stop: the process, its files and its hidden tmux session are gone.
    ScanCommandTest.Run stop = ScanCommandTest.cli("monitor", "stop", "-c", conf);
    assertEquals(0, stop.status(), stop.err());
    assertTrue(stop.out().startsWith("stopped tmux-orc (pid " + daemonPid + ")"), stop.out());
    // detached: a zombie until its new parent reaps it, which ProcessCheck counts as gone
    await(() -> ProcessCheck.check(daemonPid), verdict -> verdict == ProcessCheck.Verdict.GONE,
        "the monitor process gone");
    assertFalse(Files.exists(base.pidFile()), "no " + base.pidFile());
    assertFalse(Files.exists(base.daemonFile()), "no " + base.daemonFile());
    String hidden = "_tmux-orc-" + daemonPid;
    List<String> sessions = await(tmux::sessions, s -> !s.contains(hidden), "the hidden session " + hidden + " gone");
    assertEquals(List.of("proj"), sessions);

    // 5, continued: the real Prometheus parser reads the scrape (an assumption: skipped without it, unless CI).
    checkMetrics(metrics.body());
  }

  private void checkMetrics(String text) throws Exception {
    PrometheusText.assumeParser();
    Map<String, JsonNode> families = PrometheusText.parse(text);
    assertEquals(1, PrometheusText.sample(families, "tmux_orc_agents_by_state", "tmux_orc_agents_by_state",
        "state", "idle", "role", "agent"), "the one agent, idle");
    assertEquals(0, PrometheusText.sample(families, "tmux_orc_agents_by_state", "tmux_orc_agents_by_state",
        "state", "working", "role", "agent"));
    assertTrue(PrometheusText.sample(families, "tmux_orc_cycles", "tmux_orc_cycles_total", "outcome", "ok") > 0);
    assertTrue(PrometheusText.sample(families, "tmux_orc_http_requests", "tmux_orc_http_requests_total",
        "route", "/api/agents", "code", "200") >= 1, "the /api/agents requests counted");
    assertTrue(PrometheusText.sample(families, "tmux_orc_events", "tmux_orc_events_total",
        "type", "StateChanged") >= 3, "idle -> unsubmitted -> working -> idle");
    assertEquals(1, PrometheusText.sample(families, "tmux_orc_pool_available", "tmux_orc_pool_available"));
  }

  // ---------------------------------------------------------------- HTTP and SSE

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode awaitJson(URI uri, Predicate<JsonNode> condition, String what) {
    return await(() -> {
      try {
        HttpResponse<String> response = get(uri);
        return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }, json -> json != null && condition.test(json), what);
  }

  private void awaitState(URI api, String pane, String state) {
    awaitJson(api.resolve("/api/agents/" + URLEncoder.encode(pane, StandardCharsets.UTF_8)),
        agent -> agent.path("state").asText().equals(state), pane + " " + state);
  }

  private static JsonNode find(JsonNode agents, String pane) {
    for (JsonNode agent : agents) {
      if (agent.path("paneId").asText().equals(pane)) {
        return agent;
      }
    }
    return null;
  }

  private EventStream follow(URI api, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve("/api/events"));
    headers.forEach(request::header);
    // send returns with the response's head, when the server's subscription to live entries is in place
    HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
    EventStream stream = new EventStream(response.body());
    streams.add(stream);
    return stream;
  }

  private static boolean stateChange(Event event, String pane, String to) {
    return event.type().equals("StateChanged") && pane.equals(event.data().path("paneId").asText())
        && to.equals(event.data().path("to").asText());
  }

  /** One server-sent event: its id line, its event line, and its data parsed. */
  record Event(long id, String type, JsonNode data) { }

  /**
   * An event stream read by a thread of its own into a queue, so that the test waits for an event with a
   * deadline rather than blocking on a read forever.
   */
  static final class EventStream implements AutoCloseable {

    private static final Event END = new Event(-1, "", null);

    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    EventStream(InputStream body) {
      this.body = body;
      Thread reader = new Thread(this::read, "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    private void read() {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        Map<String, String> fields = new HashMap<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.isEmpty()) {
            if (fields.containsKey("data")) {
              events.add(new Event(Long.parseLong(fields.get("id")), fields.get("event"),
                  Json.MAPPER.readTree(fields.get("data"))));
            }
            fields.clear();
          } else if (!line.startsWith(":")) { // a keep-alive comment
            int colon = line.indexOf(':');
            fields.put(line.substring(0, colon), line.substring(colon + 1).stripLeading());
          }
        }
      } catch (IOException | RuntimeException e) {
        // closed by the test, or the stream broke: either way it ends here
      } finally {
        events.add(END);
      }
    }

    /** Reads events into {@code seen} until one matches, and returns it; fails at the deadline or the end. */
    Event await(Predicate<Event> wanted, List<Event> seen) throws InterruptedException {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (true) {
        Event event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (event == null || event == END) {
          return fail((event == null ? "no such event within " + PATIENCE : "the stream ended") + "; saw " + seen);
        }
        seen.add(event);
        if (wanted.test(event)) {
          return event;
        }
      }
    }

    @Override
    public void close() {
      try {
        body.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  // ---------------------------------------------------------------- journal and waiting

  /** Every journal entry, as {@code tmux-orc events --json -n 0} prints them from the file. */
  private static List<JsonNode> journal(String conf) {
    return ScanCommandTest.journal(conf);
  }

  private static List<Long> journalRange(List<JsonNode> journal, long from, long to) {
    return journal.stream().map(j -> j.path("seq").asLong()).filter(seq -> seq >= from && seq <= to).toList();
  }

  private static List<Long> ids(List<Event> events) {
    return events.stream().map(Event::id).toList();
  }

  private static void assertConsecutive(List<Event> events) {
    long first = events.get(0).id();
    assertEquals(LongStream.range(first, first + events.size()).boxed().toList(), ids(events),
        "consecutive ids, no gap and no duplicate");
  }

  private static <T> T await(Supplier<T> value, Predicate<T> done, String what) {
    return Poll.until(value, done, what, PATIENCE);
  }
}
