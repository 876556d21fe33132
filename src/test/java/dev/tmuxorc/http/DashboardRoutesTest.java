package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files: the page, its scripts, styles and images, uPlot from its webjar; their types and
 * security headers; nothing outside their directories; open while the API needs the token. The page served in
 * tests is a placeholder under src/test/resources: what is checked is that the class path's file is served.
 */
class DashboardRoutesTest extends RouteTestBase {

  private static final String TOKEN = "dashboard-token";

  private CountingObserver observer;
  private TestRoute open;
  private TestRoute guarded;

  @BeforeAll
  void guardedRoute() {
    guarded = testRoute(new ApiRoutes(testKit.system(), new InMemoryBackend(testKit.system()),
        ApiRoutesTest.settings(Map.of("tmux-orc.http.token", TOKEN, "tmux-orc.http.host", "0.0.0.0")),
        RequestObserver.NONE).route());
  }

  @BeforeEach
  void openRoute() {
    observer = new CountingObserver();
    open = testRoute(new ApiRoutes(testKit.system(), new InMemoryBackend(testKit.system()),
        ApiRoutesTest.settings(Map.of()), observer).route());
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = DashboardRoutesTest.class.getClassLoader().getResourceAsStream(name)) {
      assertTrue(in != null, "on the class path: " + name);
      return in.readAllBytes();
    }
  }

  private static void assertServed(TestRouteResult result, String resource, Set<String> mediaTypes)
      throws IOException {
    result.assertStatusCode(200);
    assertTrue(mediaTypes.contains(result.contentType().mediaType().toString()), result.contentType().toString());
    assertArrayEquals(resource(resource), result.entityBytes().toArray());
    assertSecurityHeaders(result);
  }

  private static void assertSecurityHeaders(TestRouteResult result) {
    result.assertHeaderExists("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
        + "style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        + "form-action 'self'");
    result.assertHeaderExists("X-Content-Type-Options", "nosniff");
    result.assertHeaderExists("Referrer-Policy", "no-referrer");
    result.assertHeaderExists("Cache-Control", "no-cache");
  }

  private static void assertJson404(TestRouteResult result) {
    result.assertStatusCode(404);
    assertEquals("application/json", result.contentType().mediaType().toString(), result.entityString());
    JsonNode body;
    try {
      body = Json.MAPPER.readTree(result.entityString());
    } catch (IOException e) {
      throw new AssertionError(result.entityString(), e);
    }
    assertEquals("not found", body.path("error").asText(), body.toString());
  }

  @Test
  void thePageIsHtmlWithItsSecurityHeaders() throws IOException {
    TestRouteResult page = open.run(HttpRequest.GET("/"));
    assertServed(page, "dashboard/index.html", Set.of("text/html"));
    assertEquals("text/html; charset=UTF-8", page.contentType().toString());
  }

  @Test
  void scriptsStylesAndImagesHaveTheTypesBrowsersNeed() throws IOException {
    // A module script is refused by browsers unless served as JavaScript; nosniff holds them to the type.
    assertServed(open.run(HttpRequest.GET("/dashboard/test-fixture/probe.js")), "dashboard/test-fixture/probe.js",
        Set.of("application/javascript", "text/javascript"));
    assertServed(open.run(HttpRequest.GET("/dashboard/test-fixture/probe.css")),
        "dashboard/test-fixture/probe.css", Set.of("text/css"));
    assertServed(open.run(HttpRequest.GET("/dashboard/test-fixture/probe.svg")),
        "dashboard/test-fixture/probe.svg", Set.of("image/svg+xml"));
  }

  @Test
  void uplotComesFromItsWebjarOfTheVersionItsMetadataNames() throws IOException {
    Webjar uplot = Webjar.uplot();
    assertTrue(uplot.version().matches("\\d+\\.\\d+\\.\\d+"), uplot.version());
    String dist = "META-INF/resources/webjars/uplot/" + uplot.version() + "/dist/";
    assertServed(open.run(HttpRequest.GET("/vendor/uplot/uPlot.iife.min.js")), dist + "uPlot.iife.min.js",
        Set.of("application/javascript", "text/javascript"));
    assertServed(open.run(HttpRequest.GET("/vendor/uplot/uPlot.min.css")), dist + "uPlot.min.css",
        Set.of("text/css"));
  }

  @Test
  void nothingOutsideTheDashboardsDirectoriesIsServed() {
    for (String path : List.of("/dashboard/../reference.conf", "/dashboard/%2e%2e/reference.conf",
        "/dashboard/..%2Freference.conf", "/dashboard/%2e%2e%2freference.conf", "/dashboard/..%5Creference.conf",
        "/dashboard/test-fixture/..%2F..%2Freference.conf", "/dashboard//reference.conf",
        "/dashboard/%2Freference.conf", "/vendor/uplot/../../../../../reference.conf",
        "/vendor/uplot/..%2F..%2F..%2F..%2F..%2Freference.conf", "/vendor/uplot/..%2F..%2Fpackage.json",
        "/vendor/uplot/../LICENSE", "/vendor/uplot%2F..%2F..%2Flogback-test.xml", "/reference.conf",
        "/dashboard/", "/dashboard/test-fixture", "/dashboard/test-fixture/", "/dashboard/nope.js",
        "/dashboardtest-fixture/probe.js", "/vendor/uplotx/uPlot.min.css", "/vendor/", "/index.html")) {
      TestRouteResult result = open.run(HttpRequest.GET(path));
      assertJson404(result);
      assertFalse(result.entityString().contains("tmux-orc {"), path);
    }
  }

  @Test
  void filesAreObservedUnderThreeTemplates() {
    open.run(HttpRequest.GET("/"));
    open.run(HttpRequest.GET("/dashboard/test-fixture/probe.js"));
    open.run(HttpRequest.GET("/dashboard/nope.js"));
    open.run(HttpRequest.GET("/vendor/uplot/uPlot.min.css"));
    open.run(HttpRequest.POST("/"));
    assertEquals(List.of(new CountingObserver.Observed("/", 200),
        new CountingObserver.Observed("/dashboard/*", 200), new CountingObserver.Observed("/dashboard/*", 404),
        new CountingObserver.Observed("/vendor/*", 200), new CountingObserver.Observed("/", 405)),
        observer.requests);
  }

  @Test
  void withoutATokenThePageIsForThisMachineOnlyLikeTheApi() {
    TestRouteResult rebound = open.run(HttpRequest.GET("/").addHeader(RawHeader.create("Host", "evil.example")));
    rebound.assertStatusCode(403);
    assertSecurityHeaders(rebound);
    open.run(HttpRequest.GET("/dashboard/test-fixture/probe.js")
        .addHeader(RawHeader.create("Origin", "https://evil.example"))).assertStatusCode(403);
    for (String local : List.of("127.0.0.1:8585", "localhost:8585", "[::1]:8585")) {
      open.run(HttpRequest.GET("/dashboard/test-fixture/probe.js").addHeader(RawHeader.create("Host", local))
          .addHeader(RawHeader.create("Origin", "http://" + local))).assertStatusCode(200);
    }
  }

  @Test
  void withATokenTheFilesAreOpenWhileTheApiNeedsIt() throws IOException {
    // any Host: with a token the server may listen beyond loopback, and the page holds no data
    assertServed(guarded.run(HttpRequest.GET("/").addHeader(RawHeader.create("Host", "build-box:8585"))),
        "dashboard/index.html", Set.of("text/html"));
    guarded.run(HttpRequest.GET("/vendor/uplot/uPlot.iife.min.js")).assertStatusCode(200);
    guarded.run(HttpRequest.GET("/dashboard/test-fixture/probe.js")).assertStatusCode(200);
    assertJson404(guarded.run(HttpRequest.GET("/dashboard/nope.js")));
    guarded.run(HttpRequest.GET("/api/status")).assertStatusCode(401);
    guarded.run(HttpRequest.GET("/api/journal")).assertStatusCode(401);
    guarded.run(HttpRequest.GET("/api/status").addHeader(Authorization.oauth2(TOKEN))).assertStatusCode(200);
    assertTrue(new String(resource("dashboard/index.html"), StandardCharsets.UTF_8).contains("<"),
        "the page is HTML");
  }
}
