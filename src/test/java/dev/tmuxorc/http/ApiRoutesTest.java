package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.journal.JournalStore;
import dev.tmuxorc.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of the API without a token: answers, filters, validation and JSON errors. */
class ApiRoutesTest extends RouteTestBase {

  private InMemoryBackend backend;
  private CountingObserver observer;
  private TestRoute route;

  static HttpSettings settings(Map<String, Object> overrides) {
    return HttpSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
  }

  @BeforeEach
  void newRoute() {
    backend = new InMemoryBackend(testKit.system());
    backend.agents.add(InMemoryBackend.view("%1", "proj", "pm", "idle"));
    backend.agents.add(InMemoryBackend.view("%3", "proj", "agent", "working"));
    backend.agents.add(InMemoryBackend.view("%7", "other", "agent", "rate_limited"));
    backend.screens.put("%3", "$ claude\n✻ Working… (esc to interrupt)\n");
    observer = new CountingObserver();
    route = testRoute(new ApiRoutes(testKit.system(), backend,
        settings(Map.of("tmux-orc.http.backend-timeout", "300ms", "tmux-orc.http.sse.resume-limit", 3)),
        observer).route());
  }

  private static JsonNode json(TestRouteResult result) {
    assertEquals("application/json", result.contentType().mediaType().toString(), result.entityString());
    try {
      return Json.MAPPER.readTree(result.entityString());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + result.entityString(), e);
    }
  }

  private static void assertError(TestRouteResult result, int status, String error) {
    result.assertStatusCode(status);
    JsonNode body = json(result);
    assertEquals(error, body.path("error").asText(), body.toString());
    assertTrue(body.has("detail"), body.toString());
  }

  private static List<String> paneIds(JsonNode agents) {
    return java.util.stream.StreamSupport.stream(agents.spliterator(), false)
        .map(a -> a.path("paneId").asText()).toList();
  }

  private TestRouteResult postHook(String uri, String body, HttpHeader... headers) {
    HttpRequest request = HttpRequest.POST(uri).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
    for (HttpHeader header : headers) {
      request = request.addHeader(header);
    }
    return route.run(request);
  }

  @Test
  void aHookEventIsAcceptedAtOnceWithItsPaneAndAncestorPids() {
    TestRouteResult accepted = postHook("/api/hooks/claude", """
        {"hook_event_name": "Notification", "session_id": "s-1", "transcript_path": "/t/s-1.jsonl",
         "notification_type": "permission_prompt", "prompt": "not kept", "cwd": "/work"}""",
        RawHeader.create("X-Tmux-Pane", "%3"), RawHeader.create("X-Hook-Pids", "4242, 17,x,1"))
        .assertStatusCode(202);
    assertEquals("", accepted.entityString(), "nothing for Claude Code to read as the hook's output");
    Object[] hook = backend.hooks.get(0);
    HookEvent event = (HookEvent) hook[0];
    assertEquals("claude", event.source());
    assertEquals(Optional.of("s-1"), event.sessionId());
    assertEquals("permission_prompt", event.details().get("notification_type"));
    assertTrue(!event.details().containsKey("prompt"), "what the user typed is not kept");
    assertEquals(Optional.of(new PaneId("%3")), hook[1]);
    assertEquals(List.of(4242, 17, 1), hook[2], "malformed pids are ignored");

    postHook("/api/hooks/gemini?pane=%257", "{\"hook_event_name\": \"AfterAgent\"}").assertStatusCode(202);
    assertEquals(Optional.of(new PaneId("%7")), backend.hooks.get(1)[1]);
  }

  @Test
  void aBadHookIsRefusedWithAJsonErrorAndNothingIsHandedOn() {
    assertError(postHook("/api/hooks/claude", "{\"hook_event_name\": \"Stop\"}",
        RawHeader.create("X-Tmux-Pane", "3; kill-server")), 400, "bad request");
    assertError(postHook("/api/hooks/claude", "not json"), 400, "bad request");
    assertError(postHook("/api/hooks/claude", "[1, 2]"), 400, "bad request");
    assertError(postHook("/api/hooks/claude", "{\"session_id\": \"s\"}"), 400, "bad request");
    assertError(postHook("/api/hooks/vim", "{\"hook_event_name\": \"Stop\"}"), 404, "not found");
    assertEquals(0, backend.hooks.size());
  }

  @Test
  void statusIsTheBackendsStatusAsJson() {
    JsonNode status = json(route.run(HttpRequest.GET("/api/status")).assertStatusCode(200));
    assertEquals("test", status.path("version").asText());
    assertEquals(3, status.path("agents").asInt());
  }

  @Test
  void agentsAreListedInTheBackendsOrderAndFiltered() {
    assertEquals(List.of("%1", "%3", "%7"), paneIds(json(route.run(HttpRequest.GET("/api/agents")))));
    assertEquals(List.of("%3"), paneIds(json(route.run(HttpRequest.GET("/api/agents?state=working")))));
    assertEquals(List.of("%7"), paneIds(json(route.run(HttpRequest.GET("/api/agents?state=rate_limited")))));
    assertEquals(List.of("%1", "%3"), paneIds(json(route.run(HttpRequest.GET("/api/agents?session=proj")))));
    assertEquals(List.of("%3", "%7"), paneIds(json(route.run(HttpRequest.GET("/api/agents?role=agent")))));
    assertEquals(List.of("%3"),
        paneIds(json(route.run(HttpRequest.GET("/api/agents?role=agent&session=proj&state=working")))));
    assertEquals(List.of(), paneIds(json(route.run(HttpRequest.GET("/api/agents?session=nope")))));
  }

  @Test
  void anAgentHasTheAgentViewShape() {
    JsonNode agent = json(route.run(HttpRequest.GET("/api/agents/%253")).assertStatusCode(200));
    assertEquals("%3", agent.path("paneId").asText());
    assertEquals("working", agent.path("state").asText());
    assertEquals("proj:1.0", agent.path("target").asText());
    assertTrue(agent.has("timeInStateMs"));
  }

  @Test
  void actionsAreTheLatestActionEntriesAndABadLimitIs400(@TempDir Path dir) throws Exception {
    backend.journalFile = dir.resolve("journal.db");
    Instant at = Instant.parse("2026-11-30T08:00:00Z");
    try (JournalStore store = JournalStore.open(backend.journalFile)) {
      store.append(List.of(
          new JournalEntry(7, at, "Action", "%3", "{\"type\":\"Action\",\"action\":\"pm-report\"}"),
          new JournalEntry(8, at, "StateChanged", "%3", "{\"type\":\"StateChanged\"}"),
          new JournalEntry(9, at, "Action", "%3", "{\"type\":\"Action\",\"action\":\"auto-submit\"}")));
    }
    JsonNode actions = json(route.run(HttpRequest.GET("/api/actions?limit=1")).assertStatusCode(200));
    assertEquals(1, actions.size());
    assertEquals(9, actions.get(0).get("seq").asLong());
    assertEquals("auto-submit", actions.get(0).get("action").asText());
    assertEquals(2, json(route.run(HttpRequest.GET("/api/actions")).assertStatusCode(200)).size());
    assertError(route.run(HttpRequest.GET("/api/actions?limit=0")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/actions?limit=ten")), 400, "bad request");
  }

  @Test
  void unknownFilterValuesAre400() {
    assertError(route.run(HttpRequest.GET("/api/agents?state=busy")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/agents?state=WORKING")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/agents?role=boss")), 400, "bad request");
  }

  @Test
  void paneIdsInPathsAreValidatedNeverPassedOnRaw() {
    // "%" arrives URL-encoded; any other form is refused before the backend is asked.
    assertError(route.run(HttpRequest.GET("/api/agents/3")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/agents/%25abc")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/agents/%253%2520x")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/agents/..%2F..%2Fetc/screen")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/agents/3/screen")), 400, "bad request");
  }

  @Test
  void anUnknownPaneIs404() {
    assertError(route.run(HttpRequest.GET("/api/agents/%2599")), 404, "unknown pane");
    assertError(route.run(HttpRequest.GET("/api/agents/%2599/screen")), 404, "no screen");
  }

  @Test
  void aScreenIsPlainUtf8Text() {
    TestRouteResult result = route.run(HttpRequest.GET("/api/agents/%253/screen")).assertStatusCode(200);
    assertEquals(ContentTypes.TEXT_PLAIN_UTF8, result.contentType());
    assertEquals("$ claude\n✻ Working… (esc to interrupt)\n", result.entityString());
  }

  @Test
  void sessionsAreAJsonArray() {
    JsonNode sessions = json(route.run(HttpRequest.GET("/api/sessions")).assertStatusCode(200));
    assertEquals(2, sessions.size());
    assertEquals("proj", sessions.get(0).path("name").asText());
    assertEquals(2, sessions.get(0).path("agents").asInt());
  }

  @Test
  void metricsAreThePrometheusTextFormat() {
    TestRouteResult result = route.run(HttpRequest.GET("/metrics")).assertStatusCode(200);
    assertEquals("text/plain; version=0.0.4; charset=UTF-8", result.contentType().toString());
    assertTrue(result.entityString().contains("tmux_orc_agents 3"));
  }

  @Test
  void healthLiveAndReady() {
    assertEquals("live", json(route.run(HttpRequest.GET("/health/live")).assertStatusCode(200))
        .path("status").asText());
    assertEquals("ready", json(route.run(HttpRequest.GET("/health/ready")).assertStatusCode(200))
        .path("status").asText());
    backend.ready = false;
    JsonNode notReady = json(route.run(HttpRequest.GET("/health/ready")).assertStatusCode(503));
    assertEquals("not ready", notReady.path("status").asText());
    assertEquals("tmux server not reachable", notReady.path("detail").asText());
  }

  @Test
  void pauseTakesItsDurationFromTheQueryOrABody() {
    JsonNode paused = json(route.run(HttpRequest.POST("/api/monitor/pause?duration=10m")).assertStatusCode(200));
    assertEquals("2026-01-01T00:10:00Z", paused.path("pausedUntil").asText());
    route.run(HttpRequest.POST("/api/monitor/pause")
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{\"duration\":\"90s\"}")))
        .assertStatusCode(200);
    assertEquals(List.of(Duration.ofMinutes(10), Duration.ofSeconds(90)), backend.pauses);
    json(route.run(HttpRequest.POST("/api/monitor/resume")).assertStatusCode(200));
    assertEquals(1, backend.resumes);
  }

  @Test
  void aBadPauseDurationIs400() {
    for (String bad : List.of("?duration=soon", "?duration=10", "?duration=-5m", "?duration=0s", "")) {
      assertError(route.run(HttpRequest.POST("/api/monitor/pause" + bad)), 400, "bad request");
    }
    assertError(route.run(HttpRequest.POST("/api/monitor/pause")
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, "{duration"))), 400, "bad request");
    assertTrue(backend.pauses.isEmpty());
  }

  @Test
  void anUnknownRouteIs404AndAWrongMethod405() {
    assertError(route.run(HttpRequest.GET("/api/nope")), 404, "not found");
    assertError(route.run(HttpRequest.GET("/nope")), 404, "not found");
    TestRouteResult wrongMethod = route.run(HttpRequest.DELETE("/api/agents"));
    assertError(wrongMethod, 405, "method not allowed");
    wrongMethod.assertHeaderExists("Allow", "GET");
    assertError(route.run(HttpRequest.GET("/api/monitor/pause")), 405, "method not allowed");
  }

  @Test
  void aBodyOverMaxBodyIs413() {
    String big = "{\"duration\":\"" + "9".repeat(70_000) + "s\"}";
    assertError(route.run(HttpRequest.POST("/api/monitor/pause")
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, big))), 413, "payload too large");
    assertTrue(backend.pauses.isEmpty());
  }

  @Test
  void aFailingBackendIs500AndASilentOne503() {
    backend.failing = true;
    assertError(route.run(HttpRequest.GET("/api/agents")), 500, "internal error");
    backend.failing = false;
    backend.hanging = true;
    assertError(route.run(HttpRequest.GET("/api/status")), 503, "backend timeout");
    assertError(route.run(HttpRequest.GET("/api/events?since=0")), 503, "backend timeout");
    backend.hanging = false;
    route.run(HttpRequest.GET("/api/status")).assertStatusCode(200);
  }

  @Test
  void requestsAreObservedUnderTheirRouteTemplate() {
    route.run(HttpRequest.GET("/api/agents/%253"));
    route.run(HttpRequest.GET("/api/agents/%2599/screen"));
    route.run(HttpRequest.GET("/api/agents?state=busy"));
    route.run(HttpRequest.GET("/no/such/thing"));
    route.run(HttpRequest.PUT("/api/status"));
    assertEquals(List.of(
        new CountingObserver.Observed("/api/agents/{paneId}", 200),
        new CountingObserver.Observed("/api/agents/{paneId}/screen", 404),
        new CountingObserver.Observed("/api/agents", 400),
        new CountingObserver.Observed("unmatched", 404),
        new CountingObserver.Observed("/api/status", 405)), observer.requests);
  }

  @Test
  void eventsReplayAFullPageThenEndSoTheClientResumesFromItsLastId() {
    for (int i = 0; i < 5; i++) {
      backend.append(i % 2 == 0 ? "StateChanged" : "CycleReport", i % 2 == 0 ? "%3" : null);
    }
    // resume-limit is 3 here: a full page of 3, then the stream ends instead of going live.
    TestRouteResult result = route.run(HttpRequest.GET("/api/events?since=0")).assertStatusCode(200);
    assertEquals("text/event-stream", result.contentType().mediaType().toString());
    String body = result.entityString();
    assertEquals(List.of("1", "2", "3"), ids(body));
    assertTrue(body.lines().toList().containsAll(List.of("event:StateChanged", "event:CycleReport",
        "data:{\"type\":\"StateChanged\",\"paneId\":\"%3\",\"n\":1}")), body);
    // Last-Event-ID is newer than the first URL's ?since, which a reconnecting EventSource repeats.
    assertEquals(List.of("3", "4", "5"), ids(route.run(HttpRequest.GET("/api/events?since=0")
        .addHeader(HttpHeader.parse("Last-Event-ID", "2"))).entityString()));
    assertEquals(List.of("1", "3"), ids(route.run(HttpRequest.GET("/api/events?since=0&type=StateChanged"))
        .entityString()));
    assertEquals(List.of("1", "3"), ids(route.run(HttpRequest.GET("/api/events?since=0&agent=%253"))
        .entityString()));
  }

  @Test
  void withoutATokenABrowserPageOfAnotherSiteIsRefused() {
    // DNS rebinding: a page of evil.example re-pointed at 127.0.0.1 sends its own name as Host.
    assertError(route.run(HttpRequest.GET("/api/agents").addHeader(RawHeader.create("Host", "evil.example:8585"))),
        403, "forbidden");
    assertError(route.run(HttpRequest.POST("/api/monitor/pause?duration=1h")
        .addHeader(RawHeader.create("Origin", "https://evil.example"))), 403, "forbidden");
    assertError(route.run(HttpRequest.GET("/api/agents").addHeader(RawHeader.create("Origin", "null"))),
        403, "forbidden");
    assertEquals(0, backend.pauses.size(), "a refused request never reaches the backend");
    for (String local : List.of("127.0.0.1:8585", "localhost", "[::1]:8585")) {
      route.run(HttpRequest.GET("/api/agents").addHeader(RawHeader.create("Host", local))
          .addHeader(RawHeader.create("Origin", "http://" + local))).assertStatusCode(200);
    }
  }

  @Test
  void anIdAboveAnythingTheJournalHandedOutStartsOverFromTheBeginning() {
    for (int i = 0; i < 3; i++) {
      backend.append("CycleReport", null);
    }
    // 99 is from an earlier numbering (a journal file replaced): waiting for 100 would miss 1 to 99.
    assertEquals(List.of("1", "2", "3"), ids(route.run(HttpRequest.GET("/api/events")
        .addHeader(HttpHeader.parse("Last-Event-ID", "99"))).entityString()));
  }

  @Test
  void aFilteredFullPageStillHandsTheClientItsLastIdSoItNeverReadsThePageAgain() {
    for (int i = 0; i < 5; i++) {
      backend.append("CycleReport", null);
    }
    // resume-limit 3: the first page holds nothing for %3, and ends with a PageEnd carrying id 3.
    String page = route.run(HttpRequest.GET("/api/events?since=0&agent=%253")).entityString();
    assertEquals(List.of("3"), ids(page));
    assertTrue(page.lines().anyMatch(l -> l.equals("event:PageEnd")), page);
    assertEquals(List.of("5"), ids(route.run(HttpRequest.GET("/api/events?agent=%253")
        .addHeader(HttpHeader.parse("Last-Event-ID", "2"))).entityString()), "the next page, 3 to 5, ends at 5");
  }

  @Test
  void eventDataIsOneLineEvenForMultiLineJson() {
    // Three entries: a full page (resume-limit 3), so that the stream ends.
    for (long seq = 1; seq <= 3; seq++) {
      backend.journal.add(new JournalEntry(seq, Instant.EPOCH, "CycleReport", null,
          "{\n  \"type\" : \"CycleReport\",\n  \"agents\" : 3\n}"));
    }
    String body = route.run(HttpRequest.GET("/api/events?since=0")).entityString();
    assertEquals(3, body.lines().filter(line -> line.equals("data:{\"type\":\"CycleReport\",\"agents\":3}"))
        .count(), body);
  }

  static List<String> ids(String body) {
    return body.lines().filter(l -> l.startsWith("id:")).map(l -> l.substring(3)).toList();
  }

  @Test
  void eventFiltersAndResumeIdsAreValidated() {
    assertError(route.run(HttpRequest.GET("/api/events?since=abc")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/events?since=-1")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/events?agent=3")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/events?type=,")), 400, "bad request");
    assertError(route.run(HttpRequest.GET("/api/events")
        .addHeader(HttpHeader.parse("Last-Event-ID", "x"))), 400,
        "bad request");
    assertFalse(backend.failing);
  }
}
