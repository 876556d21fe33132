package dev.tmuxorc.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A running monitor as the CLI finds it, without one: a JDK HttpServer on a free loopback port answering canned
 * JSON per path, recorded in {@code BASE/monitor.json} under the PID of a process that looks like tmux-orc. The
 * commands that talk to the monitor ({@code status}, {@code health}, {@code perf watch}) run against it unchanged.
 */
public final class ApiStandIn implements AutoCloseable {

  /** A canned answer. */
  public record Answer(int status, String body) { }

  /** A request as it arrived: method, path with query, headers (first value, lower-case names) and body. */
  public record Received(String method, String uri, Map<String, String> headers, byte[] body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
  }

  private final HttpServer server;
  private final FakeProcess process;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Set<String> hanging = ConcurrentHashMap.newKeySet();
  private final CountDownLatch closed = new CountDownLatch(1);
  // a hanging request must not hold up the others (the default runs every exchange on the dispatcher thread)
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "api-stand-in");
    thread.setDaemon(true);
    return thread;
  });

  private ApiStandIn(HttpServer server, FakeProcess process) {
    this.server = server;
    this.process = process;
    server.setExecutor(executor);
  }

  /** Serves on a free port and records itself as the monitor of {@code base}; {@code dir} holds the fake process. */
  public static ApiStandIn start(Path dir, BaseDir base) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ApiStandIn standIn = new ApiStandIn(server, FakeProcess.tmuxOrc(dir));
    server.createContext("/", standIn::handle);
    server.start();
    new DaemonRecord(standIn.process.pid(), standIn.url(), null, null, null, null, List.of()).write(base);
    return standIn;
  }

  /** Answers GET {@code path} with {@code status} and {@code body} from now on; unknown paths get a 404. */
  public ApiStandIn answer(String path, int status, String body) {
    answers.put(path, new Answer(status, body));
    return this;
  }

  /** Requests to {@code path} are never answered (until {@link #close}): a monitor that is stuck. */
  public ApiStandIn hang(String path) {
    hanging.add(path);
    return this;
  }

  /** Every request so far with its headers and body. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Every request so far: {@code "GET /api/status"}, with {@code " Bearer TOKEN"} appended when one was sent. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + (auth == null ? "" : " " + auth));
    Map<String, String> headers = new java.util.TreeMap<>();
    exchange.getRequestHeaders().forEach((name, values) ->
        headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
    received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), headers,
        exchange.getRequestBody().readAllBytes()));
    if (hanging.contains(exchange.getRequestURI().getPath())) {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    Answer answer = answers.getOrDefault(exchange.getRequestURI().getPath(),
        new Answer(404, "{\"error\":\"not found\",\"detail\":\"no such route\"}"));
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() throws InterruptedException {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
    process.close();
  }
}
