package dev.tmuxorc.daemon;

import dev.tmuxorc.config.BaseDir;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Talks to the running monitor's HTTP API: found through {@code BASE/monitor.json}, with short timeouts (it runs
 * on this machine: a slow answer means it is stuck), and the bearer token when one is configured.
 */
public final class DaemonClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final URI base;
  private final Optional<String> token;
  private HttpClient http; // built on first use: see postJson

  /** An answer of the API. */
  public record Response(int status, String body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  public DaemonClient(URI base, Optional<String> token) {
    this.base = base;
    this.token = token.filter(t -> !t.isBlank());
  }

  /**
   * The client of the monitor recorded under {@code base}.
   *
   * @throws DaemonUnavailableException when none runs, its record is stale, or it serves no API
   */
  public static DaemonClient find(BaseDir base, Optional<String> token) {
    DaemonState state = DaemonState.of(base);
    if (state instanceof DaemonState.Running running) {
      String url = running.record().url();
      if (url == null || url.isBlank()) {
        throw new DaemonUnavailableException("the monitor (pid " + running.record().pid()
            + ") serves no HTTP API (started with --no-http?)");
      }
      return new DaemonClient(URI.create(url), token);
    }
    if (state instanceof DaemonState.Stale stale) {
      throw new DaemonUnavailableException("the monitor is not running (stale " + base.pidFile() + ": "
          + stale.reason() + ")");
    }
    throw new DaemonUnavailableException("the monitor is not running (no " + base.pidFile() + ")");
  }

  public URI base() {
    return base;
  }

  public Response get(String path) {
    return send(request(path).GET().build());
  }

  /**
   * GET {@code path} through HttpURLConnection, with the timeouts of {@link #get} (connect 2 s, answer 5 s): for
   * a one-shot command that asks once or polls, such as {@code monitor start} waiting for {@code /health/ready}.
   * The HttpClient behind {@link #get} sets up TLS when it is built: 0.3-0.6 s of a cold JVM's CPU, which
   * {@code monitor start} spent right when the monitor it started had become ready (docs/benchmarks.md, run 6).
   */
  public Response probe(String path) {
    try {
      HttpURLConnection connection = open(path, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
      connection.setRequestProperty("Accept", "application/json");
      return answer(connection);
    } catch (SocketTimeoutException e) {
      throw new DaemonUnavailableException("the monitor at " + base + " did not answer " + path + " within "
          + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new DaemonUnavailableException("cannot connect to the monitor at " + base, e);
    } catch (IOException e) {
      throw new DaemonUnavailableException("the monitor at " + base + " failed: " + e, e);
    }
  }

  // An HttpURLConnection to path with these timeouts and the token, not yet connected.
  private HttpURLConnection open(String path, Duration connect, Duration read) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) base.resolve(path).toURL().openConnection();
    connection.setConnectTimeout((int) connect.toMillis());
    connection.setReadTimeout((int) read.toMillis());
    token.ifPresent(t -> connection.setRequestProperty("Authorization", "Bearer " + t));
    return connection;
  }

  // The status and the body (the error body for a 4xx/5xx) of a request sent through HttpURLConnection.
  private static Response answer(HttpURLConnection connection) throws IOException {
    int status = connection.getResponseCode();
    InputStream answer = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
    String text = answer == null ? "" : new String(answer.readAllBytes(), StandardCharsets.UTF_8);
    connection.disconnect();
    return new Response(status, text);
  }

  public Response post(String path) {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  /**
   * POSTs {@code body} as JSON with extra {@code headers}: connecting and then answering get {@code limit} each
   * (a loopback connect is immediate or refused at once; a monitor that stops reading a large body mid-way is for
   * the caller to give up on): for the hook command, which must never be slowed by a stuck monitor. Through
   * HttpURLConnection rather than the HttpClient, which sets up TLS when it is built: a few hundred milliseconds of
   * class loading per hook event, for a plain-HTTP loopback call.
   */
  public Response postJson(String path, byte[] body, Map<String, String> headers, Duration limit) {
    try {
      long deadline = System.nanoTime() + limit.toNanos();
      // both timeouts take effect at connect: a read timeout set afterwards is ignored
      HttpURLConnection connection = open(path, limit, limit);
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      connection.setRequestProperty("Content-Type", "application/json");
      headers.forEach(connection::setRequestProperty);
      connection.connect();
      if (System.nanoTime() > deadline) {
        throw new SocketTimeoutException("connected too late");
      }
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      return answer(connection);
    } catch (SocketTimeoutException e) {
      throw new DaemonUnavailableException("the monitor at " + base + " did not answer " + path + " within "
          + limit.toMillis() + " ms", e);
    } catch (IOException e) {
      throw new DaemonUnavailableException("the monitor at " + base + " failed: " + e, e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json");
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    return builder;
  }

  private synchronized HttpClient http() {
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }
    return http;
  }

  private Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = http().send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (HttpTimeoutException e) {
      throw new DaemonUnavailableException("the monitor at " + base + " did not answer " + request.uri().getPath()
          + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
    } catch (ConnectException e) {
      throw new DaemonUnavailableException("cannot connect to the monitor at " + base, e);
    } catch (IOException e) {
      throw new DaemonUnavailableException("the monitor at " + base + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DaemonUnavailableException("interrupted", e);
    }
  }
}
