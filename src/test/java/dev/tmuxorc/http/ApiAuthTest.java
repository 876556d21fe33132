package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With a token: every route but /health/live needs {@code Authorization: Bearer <token>}. */
class ApiAuthTest extends RouteTestBase {

  private static final String TOKEN = "s3cret-t0ken";
  private static final List<HttpRequest> SECURED = List.of(
      HttpRequest.GET("/api/status"), HttpRequest.GET("/api/agents"), HttpRequest.GET("/api/agents/%253"),
      HttpRequest.GET("/api/agents/%253/screen"), HttpRequest.GET("/api/sessions"),
      HttpRequest.GET("/api/events?since=0"), HttpRequest.GET("/api/journal?type=Action"), HttpRequest.GET("/metrics"),
      HttpRequest.GET("/health/ready"),
      HttpRequest.POST("/api/monitor/pause?duration=1m"), HttpRequest.POST("/api/monitor/resume"),
      HttpRequest.POST("/api/hooks/claude").withEntity(org.apache.pekko.http.javadsl.model.HttpEntities.create(
          org.apache.pekko.http.javadsl.model.ContentTypes.APPLICATION_JSON, "{\"hook_event_name\":\"Stop\"}")),
      HttpRequest.GET("/api/nope"));

  private InMemoryBackend backend;
  private TestRoute route;

  @BeforeAll
  void newRoute() {
    backend = new InMemoryBackend(testKit.system());
    backend.agents.add(InMemoryBackend.view("%3", "proj", "agent", "working"));
    backend.screens.put("%3", "screen");
    // A non-loopback host is fine with a token.
    HttpSettings settings = ApiRoutesTest.settings(Map.of("tmux-orc.http.token", TOKEN,
        "tmux-orc.http.host", "0.0.0.0", "tmux-orc.http.sse.resume-limit", 1));
    route = testRoute(new ApiRoutes(testKit.system(), backend, settings, RequestObserver.NONE).route());
    // A full page (resume-limit 1) ends the event stream, so that the route testkit sees all of it.
    backend.append("CycleReport", null);
  }

  private static void assertUnauthorized(TestRouteResult result) {
    result.assertStatusCode(401);
    result.assertHeaderExists("WWW-Authenticate", "Bearer realm=\"tmux-orc\"");
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(result.entityString());
    } catch (Exception e) {
      throw new AssertionError(result.entityString(), e);
    }
    assertEquals("unauthorized", body.path("error").asText());
    assertTrue(body.has("detail"));
  }

  @Test
  void everySecuredRouteRefusesAMissingOrWrongToken() {
    int pauses = backend.pauses.size();
    for (HttpRequest request : SECURED) {
      assertUnauthorized(route.run(request));
      assertUnauthorized(route.run(request.addHeader(Authorization.oauth2("wrong"))));
      assertUnauthorized(route.run(request.addHeader(Authorization.oauth2(TOKEN + "x"))));
      assertUnauthorized(route.run(request.addHeader(Authorization.basic("user", TOKEN))));
    }
    // an endless stream: refused here, served in HttpServerTest
    assertUnauthorized(route.run(HttpRequest.GET("/api/agents/%253/screen/stream")));
    assertEquals(pauses, backend.pauses.size(), "a refused request never reaches the backend");
  }

  @Test
  void everySecuredRouteServesTheRightToken() {
    for (HttpRequest request : SECURED) {
      int status = route.run(request.addHeader(Authorization.oauth2(TOKEN))).statusCode();
      String path = request.getUri().path();
      assertEquals(path.equals("/api/nope") ? 404 : path.startsWith("/api/hooks/") ? 202 : 200, status, path);
    }
    // The scheme is case-insensitive.
    route.run(HttpRequest.GET("/api/status").addHeader(RawHeader.create("Authorization", "bearer " + TOKEN)))
        .assertStatusCode(200);
  }

  @Test
  void liveHealthNeedsNoToken() {
    route.run(HttpRequest.GET("/health/live")).assertStatusCode(200);
  }
}
