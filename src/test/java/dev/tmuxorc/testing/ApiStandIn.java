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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running monitor as the CLI finds it, without one: a JDK HttpServer on a free loopback port answering canned
 * JSON per path, recorded in {@code BASE/monitor.json} under the PID of a process that looks like tmux-orc. The
 * commands that talk to the monitor ({@code status}, {@code health}, {@code perf watch}) run against it unchanged.
 */
public final class ApiStandIn implements AutoCloseable {

  /** A canned answer. */
  public record Answer(int status, String body) { }

  private final HttpServer server;
  private final FakeProcess process;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();

  private ApiStandIn(HttpServer server, FakeProcess process) {
    this.server = server;
    this.process = process;
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
    server.stop(0);
    process.close();
  }
}
