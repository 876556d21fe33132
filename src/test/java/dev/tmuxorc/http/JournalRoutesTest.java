package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.journal.JournalStore;
import dev.tmuxorc.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/journal} over a real SQLite journal: each parameter, their combinations, the 400 that names a
 * bad one, and the answer without a journal.
 */
class JournalRoutesTest extends RouteTestBase {

  /** Six entries: three an hour ago, three a few seconds ago; %3 and %4 alternate, fleet entries have none. */
  private static final Instant HOUR_AGO = Instant.now().minus(1, ChronoUnit.HOURS);
  private static final Instant RECENT = Instant.now().minusSeconds(5);

  @TempDir
  static Path dir;

  private static Path file;
  private InMemoryBackend backend;
  private TestRoute route;

  @BeforeAll
  static void writeJournal() throws Exception {
    file = dir.resolve("journal.db");
    List<JournalEntry> entries = new ArrayList<>();
    entries.add(entry(1, HOUR_AGO, "StateChanged", "%3", ",\"from\":\"idle\",\"to\":\"working\""));
    entries.add(entry(2, HOUR_AGO.plusSeconds(1), "CycleReport", null, ",\"p50Ms\":4.2"));
    entries.add(entry(3, HOUR_AGO.plusSeconds(2), "StateChanged", "%4", ",\"from\":\"idle\",\"to\":\"waiting\""));
    entries.add(entry(4, RECENT, "FleetSample", null, ",\"agents\":2,\"attention\":1"));
    entries.add(entry(5, RECENT.plusSeconds(1), "Action", "%3", ",\"action\":\"message\""));
    entries.add(entry(7, RECENT.plusSeconds(2), "StateChanged", "%3", ",\"from\":\"working\",\"to\":\"idle\""));
    try (JournalStore store = JournalStore.open(file)) {
      store.append(entries);
    }
  }

  private static JournalEntry entry(long seq, Instant at, String type, String paneId, String fields) {
    return new JournalEntry(seq, at, type, paneId, "{\"type\":\"" + type + "\",\"at\":\"" + at + "\""
        + (paneId == null ? "" : ",\"paneId\":\"" + paneId + "\"") + fields + "}");
  }

  @BeforeEach
  void newRoute() {
    backend = new InMemoryBackend(testKit.system());
    backend.journalFile = file;
    route = testRoute(new ApiRoutes(testKit.system(), backend, ApiRoutesTest.settings(Map.of()),
        RequestObserver.NONE).route());
  }

  private JsonNode journal(String query) {
    TestRouteResult result = route.run(HttpRequest.GET("/api/journal" + query)).assertStatusCode(200);
    assertEquals("application/json", result.contentType().mediaType().toString());
    try {
      JsonNode array = Json.MAPPER.readTree(result.entityString());
      assertTrue(array.isArray(), result.entityString());
      return array;
    } catch (Exception e) {
      throw new AssertionError(result.entityString(), e);
    }
  }

  private List<Long> seqs(String query) {
    return StreamSupport.stream(journal(query).spliterator(), false).map(e -> e.path("seq").asLong()).toList();
  }

  private void assertBad(String query, String parameter) {
    TestRouteResult result = route.run(HttpRequest.GET("/api/journal" + query)).assertStatusCode(400);
    try {
      JsonNode body = Json.MAPPER.readTree(result.entityString());
      assertEquals("bad request", body.path("error").asText(), body.toString());
      assertTrue(body.path("detail").asText().startsWith(parameter + ": "), query + " -> " + body);
    } catch (java.io.IOException e) {
      throw new AssertionError(result.entityString(), e);
    }
  }

  @Test
  void everyEntryOldestFirstEachItsStoredJsonWithSeqFirst() {
    JsonNode entries = journal("");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L), seqs(""));
    JsonNode first = entries.get(0);
    assertEquals("seq", first.fieldNames().next(), first.toString());
    assertEquals("StateChanged", first.path("type").asText());
    assertEquals("%3", first.path("paneId").asText());
    assertEquals("working", first.path("to").asText());
    assertEquals(1, entries.get(3).path("attention").asInt());
    JournalStore.Filter asked = backend.journalFilters.get(0);
    assertEquals(JournalRoutes.DEFAULT_LIMIT, asked.limit());
    assertEquals(false, asked.newest());
  }

  @Test
  void typesAreExactNamesCommaSeparated() {
    assertEquals(List.of(1L, 3L, 7L), seqs("?type=StateChanged"));
    assertEquals(List.of(2L, 4L), seqs("?type=FleetSample,%20CycleReport"));
    assertEquals(List.of(), seqs("?type=statechanged"));
    assertBad("?type=,", "type");
  }

  @Test
  void agentIsOnePaneId() {
    assertEquals(List.of(1L, 5L, 7L), seqs("?agent=%253"));
    assertEquals(List.of(7L), seqs("?agent=%253&type=StateChanged&after=1"));
    assertBad("?agent=3", "agent");
    assertBad("?agent=%253,%254", "agent");
  }

  @Test
  void sinceIsADurationAgoOrATime() {
    assertEquals(List.of(4L, 5L, 7L), seqs("?since=10m"));
    assertEquals(List.of(4L, 5L, 7L), seqs("?since=90s"));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L), seqs("?since=2h"));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L), seqs("?since=2d"));
    assertEquals(List.of(2L, 3L, 4L, 5L, 7L), seqs("?since=" + HOUR_AGO.plusMillis(500)));
    assertBad("?since=yesterday", "since");
    assertBad("?since=-5m", "since");
    assertBad("?since=100000000000000d", "since"); // further back than an Instant goes: 400, not 500
  }

  @Test
  void afterIsASequenceNumber() {
    assertEquals(List.of(4L, 5L, 7L), seqs("?after=3"));
    assertEquals(List.of(7L), seqs("?after=5"));
    assertEquals(List.of(), seqs("?after=7"));
    assertBad("?after=-1", "after");
    assertBad("?after=three", "after");
  }

  @Test
  void limitTakesTheFirstOrWithNewestTheLatestStillOldestFirst() {
    assertEquals(List.of(1L, 2L), seqs("?limit=2"));
    assertEquals(List.of(5L, 7L), seqs("?limit=2&newest=true"));
    assertEquals(List.of(3L, 7L), seqs("?limit=2&newest=true&type=StateChanged"));
    assertEquals(List.of(4L, 5L), seqs("?limit=2&after=3&newest=false"));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L), seqs("?limit=10000&newest=true"));
    assertBad("?limit=0", "limit");
    assertBad("?limit=10001", "limit");
    assertBad("?limit=ten", "limit");
    assertBad("?newest=yes", "newest");
  }

  @Test
  void withoutAJournalItIsAnEmptyArray() {
    backend.journalFile = null;
    assertEquals(0, journal("?type=StateChanged").size());
    backend.journalFile = dir.resolve("not-yet.db");
    assertEquals(0, journal("").size());
  }
}
