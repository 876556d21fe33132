package dev.tmuxorc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.testing.FakeProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a JDK HttpServer standing in for the monitor's API. */
class DaemonClientTest {

  @TempDir
  Path dir;

  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + auth);
      switch (exchange.getRequestURI().getPath()) {
        case "/health/ready" -> answer(exchange, 503, "{\"ready\":false}");
        case "/api/monitor/pause" -> answer(exchange, 200, "{\"pausedUntil\":\"2026-01-01T00:10:00Z\"}");
        default -> answer(exchange, 404, "");
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void getsAndPostsWithTheBearerTokenWhenConfigured() {
    DaemonClient withToken = new DaemonClient(url(), Optional.of("s3cret"));
    assertEquals(new DaemonClient.Response(503, "{\"ready\":false}"), withToken.get("/health/ready"));
    DaemonClient.Response paused = withToken.post("/api/monitor/pause?duration=10m");
    assertTrue(paused.ok());
    assertTrue(paused.body().contains("pausedUntil"));

    new DaemonClient(url(), Optional.of("")).get("/health/ready");
    assertEquals(List.of("GET /health/ready Bearer s3cret", "POST /api/monitor/pause?duration=10m Bearer s3cret",
        "GET /health/ready null"), requests);
  }

  @Test
  void probesLikeItGetsWithTheToken() {
    assertEquals(new DaemonClient.Response(503, "{\"ready\":false}"),
        new DaemonClient(url(), Optional.of("s3cret")).probe("/health/ready"));
    assertEquals(404, new DaemonClient(url(), Optional.empty()).probe("/nothing").status());
    assertEquals(List.of("GET /health/ready Bearer s3cret", "GET /nothing null"), requests);
  }

  @Test
  void findsTheRecordedMonitorOnlyWhenItsProcessIsALiveTmuxOrc() throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    DaemonUnavailableException none = assertThrows(DaemonUnavailableException.class,
        () -> DaemonClient.find(base, Optional.empty()));
    assertTrue(none.getMessage().contains("not running"), none.getMessage());

    try (FakeProcess ours = FakeProcess.tmuxOrc(dir)) {
      new DaemonRecord(ours.pid(), url().toString(), null, null, null, null, List.of()).write(base);
      DaemonClient client = DaemonClient.find(base, Optional.empty());
      assertEquals(url(), client.base());
      assertEquals(503, client.get("/health/ready").status());
    }
    DaemonUnavailableException stale = assertThrows(DaemonUnavailableException.class,
        () -> DaemonClient.find(base, Optional.empty()));
    assertTrue(stale.getMessage().contains("stale"), stale.getMessage());
  }

  @Test
  void aPortNobodyListensOnIsAClearError() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    DaemonClient client = new DaemonClient(URI.create("http://127.0.0.1:" + port), Optional.empty());
    DaemonUnavailableException e = assertThrows(DaemonUnavailableException.class, () -> client.get("/health/live"));
    assertTrue(e.getMessage().contains("cannot connect to the monitor at http://127.0.0.1:" + port),
        e.getMessage());
    DaemonUnavailableException probed = assertThrows(DaemonUnavailableException.class,
        () -> client.probe("/health/ready"));
    assertTrue(probed.getMessage().contains("cannot connect to the monitor at http://127.0.0.1:" + port),
        probed.getMessage());
  }
}
