package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The API on a real socket (port 0) through java.net.http: SSE live and resumed, JSON errors, the token, the
 * refusal to serve beyond loopback without one, and a slow event client dropped without slowing publishing.
 * Two actor systems, so that the slow-client test's flood reaches no other test's event stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard only: nothing here asserts on timings
class HttpServerTest {

  private static final String TOKEN = "real-socket-token";

  /** One running server: its backend, its observer and its address. */
  record Server(ActorTestKit kit, InMemoryBackend backend, CountingObserver observer, ServerBinding binding) {

    URI uri(String pathAndQuery) {
      return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + pathAndQuery);
    }
  }

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Server open;
  private Server guarded;

  @BeforeAll
  void startServers() {
    // Big buffer: the resume tests must never drop their client.
    // A short keep-alive: a server notices a gone client when it next writes to it.
    // Screens looked at every 50 ms.
    open = start("open", Map.of("tmux-orc.http.port", 0, "tmux-orc.http.sse.buffer", 100_000,
        "tmux-orc.http.sse.keep-alive", "500ms", "tmux-orc.http.screen-watch-interval", "50ms"));
    // All interfaces (allowed only with a token), and a tiny buffer for the slow client.
    guarded = start("guarded", Map.of("tmux-orc.http.port", 0, "tmux-orc.http.host", "0.0.0.0",
        "tmux-orc.http.token", TOKEN, "tmux-orc.http.sse.buffer", 4));
  }

  private static Server start(String name, Map<String, Object> overrides) {
    ActorTestKit kit = ActorTestKit.create(name);
    InMemoryBackend backend = new InMemoryBackend(kit.system());
    backend.agents.add(InMemoryBackend.view("%3", "proj", "agent", "working"));
    CountingObserver observer = new CountingObserver();
    HttpSettings settings = settings(overrides);
    ServerBinding binding = HttpServer.start(kit.system(), settings,
        new ApiRoutes(kit.system(), backend, settings, observer).route()).toCompletableFuture().join();
    return new Server(kit, backend, observer, binding);
  }

  private static HttpSettings settings(Map<String, Object> overrides) {
    return HttpSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
  }

  @AfterAll
  void stopServers() {
    // Coordinated shutdown unbinds the servers (the task registered by HttpServer).
    open.kit().shutdownTestKit();
    guarded.kit().shutdownTestKit();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode error(HttpResponse<String> response, int status) throws IOException {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
    JsonNode body = Json.MAPPER.readTree(response.body());
    assertTrue(body.has("error") && body.has("detail"), response.body());
    return body;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    while (!condition.getAsBoolean()) {
      Thread.sleep(20);
    }
  }

  /** Server-Sent Events read line by line from a live response. */
  static final class EventReader implements AutoCloseable {

    record Event(long id, String type, String data) { }

    private final InputStream body;
    private final BufferedReader lines;

    EventReader(HttpResponse<InputStream> response) {
      assertEquals(200, response.statusCode());
      assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
      this.body = response.body();
      this.lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event, skipping keep-alives (pekko-http's: an empty {@code data:}); null when the stream ended. */
    Event next() throws IOException {
      Map<String, String> fields = new HashMap<>();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isEmpty()) {
          if (fields.containsKey("data") && !fields.equals(Map.of("data", ""))) {
            // screen streams send no ids
            return new Event(fields.containsKey("id") ? Long.parseLong(fields.get("id")) : -1, fields.get("event"),
                fields.get("data"));
          }
          fields.clear();
        } else if (!line.startsWith(":")) {
          int colon = line.indexOf(':');
          assertTrue(colon > 0, line);
          assertTrue(fields.put(line.substring(0, colon), line.substring(colon + 1).stripLeading()) == null,
              "one line per field (data on a single line): " + line);
        }
      }
      return null;
    }

    List<Long> ids(int count) throws IOException {
      List<Long> ids = new ArrayList<>();
      while (ids.size() < count) {
        ids.add(next().id());
      }
      return ids;
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  private EventReader events(Server server, String query, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/api/events" + query));
    headers.forEach(request::header);
    // send returns with the response's head, when the subscription to live entries is already in place.
    return new EventReader(client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  /** Every event client of the server gone: each one's subscription ended with its connection (no leak). */
  private static void awaitAllDisconnected(Server server) throws InterruptedException {
    await(() -> server.observer().disconnected.get() == server.observer().connected.get());
  }

  private static List<Long> range(long fromInclusive, long toInclusive) {
    return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  private EventReader screens(Server server, String pane) throws IOException, InterruptedException {
    return new EventReader(client.send(HttpRequest.newBuilder(server.uri("/api/agents/" + pane.replace("%", "%25")
        + "/screen/stream")).build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  private static JsonNode screenEvent(EventReader.Event event, String type, String pane) throws IOException {
    assertEquals(type, event.type(), event.toString());
    JsonNode data = Json.MAPPER.readTree(event.data());
    assertEquals(pane, data.path("paneId").asText(), event.data());
    java.time.Instant.parse(data.path("at").asText());
    return data;
  }

  /** Waits until the backend has been asked for screens {@code looks} more times than now. */
  private static void awaitLooks(InMemoryBackend backend, int looks) throws InterruptedException {
    int from = backend.screenReads.get();
    await(() -> backend.screenReads.get() >= from + looks);
  }

  @Test
  void aScreenStreamSendsTheScreenAtOnceThenEachChangeOnlyThenGone() throws Exception {
    InMemoryBackend backend = open.backend();
    backend.agents.add(InMemoryBackend.view("%5", "proj", "agent", "idle"));
    backend.screens.put("%5", "$ claude\n> first");
    try (EventReader reader = screens(open, "%5")) {
      assertEquals("$ claude\n> first", screenEvent(reader.next(), "screen", "%5").path("text").asText());
      backend.screens.put("%5", "> second");
      assertEquals("> second", screenEvent(reader.next(), "screen", "%5").path("text").asText());
      // Unchanged for many looks, and looks that fail: nothing is sent, and the stream goes on.
      awaitLooks(backend, 5);
      backend.failing = true;
      awaitLooks(backend, 3);
      backend.failing = false;
      awaitLooks(backend, 5);
      backend.screens.put("%5", "> third");
      assertEquals("> third", screenEvent(reader.next(), "screen", "%5").path("text").asText(),
          "the next event is the next change: the unchanged screen was not sent again");
      backend.screens.remove("%5");
      backend.agents.removeIf(agent -> agent.paneId().equals("%5"));
      JsonNode gone = screenEvent(reader.next(), "gone", "%5");
      assertFalse(gone.has("text"), gone.toString());
      assertEquals(null, reader.next(), "the stream ends after gone");
    }
  }

  @Test
  void aScreenStreamStopsLookingOnceItsClientHasGone() throws Exception {
    InMemoryBackend backend = open.backend();
    backend.agents.add(InMemoryBackend.view("%6", "proj", "agent", "idle"));
    backend.screens.put("%6", "> quiet");
    try (EventReader reader = screens(open, "%6")) {
      screenEvent(reader.next(), "screen", "%6");
      awaitLooks(backend, 3);
    }
    // The server notices at its next write (a keep-alive, every 500 ms here): then the looks stop.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int before;
    int after;
    do {
      assertTrue(System.nanoTime() < deadline, "the screen is still looked at after its client left");
      before = backend.screenReads.get();
      Thread.sleep(600);
      after = backend.screenReads.get();
    } while (after != before);
    Thread.sleep(1000);
    assertEquals(after, backend.screenReads.get(), "no look a second later either");
    backend.agents.removeIf(agent -> agent.paneId().equals("%6"));
  }

  @Test
  void aScreenStreamOfAnUnknownOrInvalidPaneIsAJsonError() throws Exception {
    assertEquals("no screen", error(send(HttpRequest.newBuilder(open.uri("/api/agents/%2599/screen/stream"))
        .build()), 404).path("error").asText());
    error(send(HttpRequest.newBuilder(open.uri("/api/agents/99/screen/stream")).build()), 400);
    error(send(HttpRequest.newBuilder(guarded.uri("/api/agents/%253/screen/stream")).build()), 401);
  }

  @Test
  void theDashboardIsServedOnTheSocketAndNothingBesideIt() throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(guarded.uri("/")).build());
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=UTF-8", page.headers().firstValue("Content-Type").orElse(""));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self';"));
    HttpResponse<String> uplot = send(HttpRequest.newBuilder(open.uri("/vendor/uplot/uPlot.iife.min.js")).build());
    assertEquals(200, uplot.statusCode());
    assertTrue(uplot.body().contains("uPlot"), "uPlot itself");
    // Written by hand: java.net.URI would resolve the dots before sending.
    for (String path : List.of("/dashboard/../reference.conf", "/dashboard/%2e%2e/reference.conf",
        "/dashboard/..%2freference.conf", "/vendor/uplot/../../../../../reference.conf")) {
      try (Socket socket = new Socket("127.0.0.1", open.binding().localAddress().getPort())) {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.1 404"), path + ": " + response);
        assertFalse(response.contains("tmux-orc {"), path);
      }
    }
  }

  @Test
  void liveEventsThenAResumeWithLastEventIdGetsExactlyTheMissedOnesThenLiveOnes() throws Exception {
    InMemoryBackend backend = open.backend();
    long base = backend.journal.size();
    try (EventReader first = events(open, "", Map.of())) {
      backend.append("StateChanged", "%3");
      backend.append("CycleReport", null);
      backend.append("StateChanged", "%3");
      EventReader.Event event = first.next();
      assertEquals(base + 1, event.id());
      assertEquals("StateChanged", event.type());
      assertEquals("%3", Json.MAPPER.readTree(event.data()).path("paneId").asText());
      assertEquals(List.of(base + 2, base + 3), first.ids(2));
    }
    // The server sees the client go: its subscription ends with it.
    awaitAllDisconnected(open);
    backend.append("HealthChanged", "%3");
    backend.append("CycleReport", null);
    try (EventReader resumed = events(open, "?since=0", Map.of("Last-Event-ID", Long.toString(base + 3)))) {
      assertEquals(range(base + 4, base + 5), resumed.ids(2));
      backend.append("StateChanged", "%3");
      assertEquals(List.of(base + 6), resumed.ids(1));
    }
    awaitAllDisconnected(open);
  }

  @Test
  void aResumeWhileEntriesArePublishedHasNoGapAndNoDuplicate() throws Exception {
    InMemoryBackend backend = open.backend();
    long base = backend.journal.size();
    int count = 3000;
    Thread publisher = new Thread(() -> {
      for (int i = 0; i < count; i++) {
        backend.append("CycleReport", null);
      }
    });
    publisher.start();
    // Connects while the publisher runs: part of the entries come from the journal, the rest live.
    try (EventReader reader = events(open, "?since=" + base, Map.of())) {
      assertEquals(range(base + 1, base + count), reader.ids(count));
    }
    publisher.join();
    awaitAllDisconnected(open);
  }

  @Test
  void filtersApplyToTheBacklogAndToLiveEntries() throws Exception {
    InMemoryBackend backend = open.backend();
    long base = backend.journal.size();
    backend.append("StateChanged", "%3");
    backend.append("StateChanged", "%4");
    backend.append("CycleReport", null);
    try (EventReader reader = events(open, "?since=" + base + "&agent=%253&type=StateChanged,HealthChanged",
        Map.of())) {
      assertEquals(List.of(base + 1), reader.ids(1));
      backend.append("CycleReport", null);
      backend.append("HealthChanged", "%4");
      backend.append("HealthChanged", "%3");
      assertEquals(List.of(base + 6), reader.ids(1));
    }
    awaitAllDisconnected(open);
  }

  @Test
  void aSlowEventClientIsDroppedWithoutSlowingPublishing() throws Exception {
    InMemoryBackend backend = guarded.backend();
    String padding = "x".repeat(16 * 1024);
    // A raw socket: the client stops reading after the response's head, and really closes at the end.
    try (Socket slow = new Socket("127.0.0.1", guarded.binding().localAddress().getPort())) {
      slow.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
          + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      BufferedReader head = new BufferedReader(new InputStreamReader(slow.getInputStream(),
          StandardCharsets.US_ASCII), 1);
      assertEquals("HTTP/1.1 200 OK", head.readLine());
      await(() -> guarded.observer().connected.get() == 1);
      // Nothing more is read: once the socket buffers are full, the client's 4-entry buffer overflows.
      for (int i = 0; i < 2000; i++) {
        backend.append("CycleReport", null, padding);
      }
      await(() -> guarded.observer().dropped.get() == 1);
      await(() -> guarded.observer().disconnected.get() == 1);
    }
    // The server and the event stream go on.
    HttpResponse<String> status = send(HttpRequest.newBuilder(guarded.uri("/api/status"))
        .header("Authorization", "Bearer " + TOKEN).build());
    assertEquals(200, status.statusCode());
    assertEquals(2000, backend.journal.size());
  }

  @Test
  void jsonErrorsOnTheSocketAndTheServerGoesOn() throws Exception {
    error(send(HttpRequest.newBuilder(open.uri("/api/nope")).build()), 404);
    error(send(HttpRequest.newBuilder(open.uri("/api/agents/%2599")).build()), 404);
    error(send(HttpRequest.newBuilder(open.uri("/api/agents/7")).build()), 400);
    error(send(HttpRequest.newBuilder(open.uri("/api/agents?state=busy")).build()), 400);
    error(send(HttpRequest.newBuilder(open.uri("/api/agents")).DELETE().build()), 405);
    error(send(HttpRequest.newBuilder(open.uri("/api/monitor/pause")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"duration\":\"" + " ".repeat(100_000) + "1m\"}")).build()),
        413);
    assertEquals("%3", Json.MAPPER.readTree(send(HttpRequest.newBuilder(open.uri("/api/agents/%253")).build())
        .body()).path("paneId").asText());
  }

  @Test
  void aRawPercentInAPathIsAJson400() throws Exception {
    // java.net.URI refuses "%3" unencoded, so the request is written by hand.
    try (Socket socket = new Socket("127.0.0.1", open.binding().localAddress().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /api/agents/%3 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertTrue(response.contains("Content-Type: application/json"), response);
      JsonNode body = Json.MAPPER.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
      assertEquals("bad request", body.path("error").asText(), response);
    }
    assertEquals(200, send(HttpRequest.newBuilder(open.uri("/health/live")).build()).statusCode());
  }

  @Test
  void theTokenIsRequiredOnTheSocket() throws Exception {
    HttpResponse<String> missing = send(HttpRequest.newBuilder(guarded.uri("/api/agents")).build());
    error(missing, 401);
    assertEquals("Bearer realm=\"tmux-orc\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));
    error(send(HttpRequest.newBuilder(guarded.uri("/api/agents")).header("Authorization", "Bearer nope")
        .build()), 401);
    assertEquals(200, send(HttpRequest.newBuilder(guarded.uri("/health/live")).build()).statusCode());
    assertEquals(200, send(HttpRequest.newBuilder(guarded.uri("/api/agents"))
        .header("Authorization", "Bearer " + TOKEN).build()).statusCode());
  }

  @Test
  void aNonLoopbackHostWithoutATokenIsNeverServed() {
    SettingsException refused = assertThrows(SettingsException.class,
        () -> settings(Map.of("tmux-orc.http.host", "0.0.0.0", "tmux-orc.http.port", 0)));
    assertTrue(refused.getMessage().contains("tmux-orc.http.token"), refused.getMessage());
  }

  @Test
  void aPortInUseIsAClearError() {
    int port = open.binding().localAddress().getPort();
    HttpSettings taken = settings(Map.of("tmux-orc.http.port", port));
    CompletionException failed = assertThrows(CompletionException.class, () -> HttpServer.start(
        open.kit().system(), taken, new ApiRoutes(open.kit().system(), open.backend(), taken,
            RequestObserver.NONE).route()).toCompletableFuture().join());
    assertTrue(failed.getCause() instanceof SettingsException, String.valueOf(failed.getCause()));
    String message = failed.getCause().getMessage();
    assertTrue(message.contains("127.0.0.1:" + port) && message.contains("tmux-orc.http.port"), message);
  }
}
