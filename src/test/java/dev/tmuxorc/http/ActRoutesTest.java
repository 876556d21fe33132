package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoints a PM's MCP server acts through: a message typed into an agent's prompt
 * ({@code POST /api/agents/{paneId}/message}), the outbox ({@code GET /api/reports}) and acknowledging a report
 * ({@code POST /api/reports/{id}/ack}); bad input is a 4xx JSON error and never reaches the backend.
 */
class ActRoutesTest extends RouteTestBase {

  private InMemoryBackend backend;
  private TestRoute route;

  @BeforeEach
  void newRoute() {
    backend = new InMemoryBackend(testKit.system());
    backend.agents.add(InMemoryBackend.view("%3", "proj", "agent", "idle"));
    route = testRoute(new ApiRoutes(testKit.system(), backend,
        ApiRoutesTest.settings(Map.of("tmux-orc.http.backend-timeout", "300ms")), new CountingObserver()).route());
  }

  private TestRouteResult post(String uri, String body) {
    return route.run(HttpRequest.POST(uri).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body)));
  }

  private static JsonNode json(TestRouteResult result) {
    assertEquals("application/json", result.contentType().mediaType().toString(), result.entityString());
    try {
      return Json.MAPPER.readTree(result.entityString());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + result.entityString(), e);
    }
  }

  private static JsonNode error(TestRouteResult result, int status, String error) {
    result.assertStatusCode(status);
    JsonNode body = json(result);
    assertEquals(error, body.path("error").asText(), body.toString());
    assertTrue(body.path("detail").isTextual(), body.toString());
    return body;
  }

  @Test
  void aMessageIsTypedWithoutItsControlCharactersAndAnsweredWithTheTypersOutcome() {
    TestRouteResult result = post("/api/agents/%253/message", "{\"text\": \"run the tests\\u001b[2J\\u0007 now\"}");
    result.assertStatusCode(200);
    JsonNode body = json(result);
    assertEquals("delivered", body.path("outcome").asText(), body.toString());
    assertEquals(1, backend.messages.size());
    assertArrayEquals(new String[] {"%3", "run the tests[2J now"}, backend.messages.get(0));
  }

  @Test
  void refusalsAndFailuresAreJsonErrorsWithTheirOutcome() {
    backend.messageOutcome = Acted.of("held", "the prompt holds text: 'half a sentence'");
    JsonNode held = error(post("/api/agents/%253/message", "{\"text\": \"hello\"}"), 409, "held");
    assertEquals("held", held.path("outcome").asText());
    assertTrue(held.path("detail").asText().contains("half a sentence"), held.toString());
    backend.messageOutcome = Acted.of("paused", "actions are paused");
    error(post("/api/agents/%253/message", "{\"text\": \"hello\"}"), 409, "paused");
    backend.messageOutcome = Acted.of("dry-run", "dry-run: nothing was typed");
    error(post("/api/agents/%253/message", "{\"text\": \"hello\"}"), 409, "dry-run");
    backend.messageOutcome = Acted.of("failed", "the text did not arrive in the prompt");
    error(post("/api/agents/%253/message", "{\"text\": \"hello\"}"), 502, "failed");
    error(post("/api/agents/%259/message", "{\"text\": \"hello\"}"), 404, "unknown");
  }

  @Test
  void badMessagesAre400sThatNeverReachTheBackend() {
    error(post("/api/agents/%253/message", "not json"), 400, "bad request");
    error(post("/api/agents/%253/message", ""), 400, "bad request");
    error(post("/api/agents/%253/message", "{\"message\": \"hi\"}"), 400, "bad request");
    error(post("/api/agents/%253/message", "{\"text\": 42}"), 400, "bad request");
    JsonNode blank = error(post("/api/agents/%253/message", "{\"text\": \"\\u001b\\u0007  \"}"), 400, "bad request");
    assertTrue(blank.path("detail").asText().contains("control characters"), blank.toString());
    JsonNode long_ = error(post("/api/agents/%253/message", "{\"text\": \"" + "x".repeat(4001) + "\"}"), 400,
        "bad request");
    assertTrue(long_.path("detail").asText().contains("4000"), long_.toString());
    error(post("/api/agents/claude/message", "{\"text\": \"hi\"}"), 400, "bad request");
    error(route.run(HttpRequest.GET("/api/agents/%253/message")), 405, "method not allowed");
    assertEquals(List.of(), backend.messages);
  }

  @Test
  void aMessageStillTypingAfterTheWaitIsAnswered202Pending() {
    backend.messageHangs = true;
    TestRouteResult result = post("/api/agents/%253/message", "{\"text\": \"hello\"}");
    result.assertStatusCode(202);
    assertEquals("pending", json(result).path("outcome").asText());
  }

  @Test
  void reportsAreListedAndAcknowledgedByNumber() {
    TestRouteResult list = route.run(HttpRequest.GET("/api/reports"));
    list.assertStatusCode(200);
    assertTrue(json(list).path("enabled").asBoolean());

    TestRouteResult ack = post("/api/reports/12/ack", "");
    ack.assertStatusCode(200);
    assertEquals("acknowledged", json(ack).path("outcome").asText());
    error(post("/api/reports/13/ack", ""), 404, "unknown");
    error(post("/api/reports/twelve/ack", ""), 400, "bad request");
    error(post("/api/reports/-1/ack", ""), 400, "bad request");
    error(route.run(HttpRequest.GET("/api/reports/12/ack")), 405, "method not allowed");
    assertEquals(List.of(12L, 13L), backend.acks);
  }
}
