package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extract;
import static org.apache.pekko.http.javadsl.server.Directives.extractEntity;
import static org.apache.pekko.http.javadsl.server.Directives.handleExceptions;
import static org.apache.pekko.http.javadsl.server.Directives.handleRejections;
import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * How every endpoint is served: observed under its route template, answered with JSON errors only, behind the
 * bearer token when one is configured, with bodies capped at max-body and backend calls bounded in time.
 */
final class Endpoints {

  private final Optional<byte[]> tokenDigest;
  private final long maxBody;
  private final Duration backendTimeout;
  private final RequestObserver observer;
  private final RejectionHandler rejections = ErrorHandlers.rejections();
  private final ExceptionHandler exceptions = ErrorHandlers.exceptions();

  Endpoints(HttpSettings settings, RequestObserver observer) {
    this.tokenDigest = settings.token().map(Endpoints::sha256);
    this.maxBody = settings.maxBody();
    this.backendTimeout = settings.backendTimeout();
    this.observer = observer;
  }

  Duration backendTimeout() {
    return backendTimeout;
  }

  /** An endpoint anyone may call ({@code /health/live}, and the dashboard's files through {@link #page}). */
  Route open(String template, Supplier<Route> inner) {
    return observed(template, () -> bounded(inner));
  }

  /**
   * A file of the dashboard: open (the page holds no data; every API call it makes carries the token), but
   * without a token held to this machine like the API ({@link #localOnly}), so that no other site's page can
   * load it through a re-pointed name.
   */
  Route page(String template, Supplier<Route> inner) {
    return open(template, () -> tokenDigest.isEmpty() ? localOnly(inner) : inner.get());
  }

  /** An endpoint that needs the bearer token when one is configured. */
  Route secured(String template, Supplier<Route> inner) {
    return observed(template, () -> authenticated(() -> bounded(inner)));
  }

  /**
   * The backend's answer, or a 503 once backend-timeout has passed (the backend's own future is never completed
   * here).
   */
  <T> Route onBackend(Supplier<CompletionStage<T>> call, Function<T, Route> inner) {
    return onSuccess(() -> within(call.get(), backendTimeout), inner);
  }

  // An answer already there (/api/agents is made on the asking thread) goes on at once: no timer is set for it.
  // Plain CompletableFutures only: a minimal stage (a subclass) throws on isDone.
  @SuppressWarnings("unchecked")
  static <T> CompletableFuture<T> within(CompletionStage<T> stage, Duration timeout) {
    if (stage.getClass() == CompletableFuture.class && ((CompletableFuture<T>) stage).isDone()) {
      return (CompletableFuture<T>) stage; // only read from here on
    }
    CompletableFuture<T> answer = new CompletableFuture<>();
    stage.whenComplete((value, failure) -> {
      if (failure != null) {
        answer.completeExceptionally(failure);
      } else {
        answer.complete(value);
      }
    });
    return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  // Sealed per endpoint, so that what is observed is the status the client gets (405, 413 and 503 included).
  private Route observed(String template, Supplier<Route> inner) {
    return extract(context -> System.nanoTime(), start -> mapResponse(response -> {
      observer.observe(template, response.status().intValue(), Duration.ofNanos(System.nanoTime() - start));
      return response;
    }, () -> handleExceptions(exceptions, () -> handleRejections(rejections, inner))));
  }

  private Route authenticated(Supplier<Route> inner) {
    if (tokenDigest.isEmpty()) {
      return localOnly(inner);
    }
    return optionalHeaderValueByName("Authorization", header -> {
      if (header.isEmpty()) {
        return complete(unauthorized("missing Authorization: Bearer <token> header"));
      }
      return bearerToken(header.get()).filter(this::isTheToken).isPresent()
          ? inner.get()
          : complete(unauthorized("wrong bearer token"));
    });
  }

  /**
   * Without a token, loopback is the only protection, and a browser can be made to cross it: a web page whose
   * name is re-pointed at 127.0.0.1 (DNS rebinding) sends its own name as Host, and a cross-site request carries
   * its Origin. Both are refused; curl, the CLI and Claude Code's hooks send neither.
   */
  private Route localOnly(Supplier<Route> inner) {
    return optionalHeaderValueByName("Host", host -> optionalHeaderValueByName("Origin", origin -> {
      if (host.isPresent() && !HttpSettings.isLoopback(hostName(host.get()))) {
        return complete(ApiError.response(StatusCodes.FORBIDDEN, "forbidden", "Host '" + host.get()
            + "' does not name this machine: without tmux-orc.http.token the API answers only requests addressed"
            + " to 127.0.0.1, ::1 or localhost"));
      }
      if (origin.isPresent() && !HttpSettings.isLoopback(hostName(
          origin.get().replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "")))) {
        return complete(ApiError.response(StatusCodes.FORBIDDEN, "forbidden", "cross-origin request from '"
            + origin.get() + "' refused: without tmux-orc.http.token only pages of this machine may call the API"));
      }
      return inner.get();
    }));
  }

  // "127.0.0.1:8585" -> "127.0.0.1", "[::1]:8585" -> "[::1]", "localhost" -> "localhost"
  static String hostName(String hostAndPort) {
    String h = hostAndPort.trim();
    int slash = h.indexOf('/');
    if (slash >= 0) {
      h = h.substring(0, slash);
    }
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close > 0 ? h.substring(0, close + 1) : h;
    }
    int colon = h.lastIndexOf(':');
    return colon >= 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
  }

  private static Optional<String> bearerToken(String header) {
    String value = header.trim();
    return value.toLowerCase(Locale.ROOT).startsWith("bearer ")
        ? Optional.of(value.substring("bearer ".length()).trim())
        : Optional.empty();
  }

  // Digests of equal length compared in constant time: neither the token's content nor its length leaks.
  private boolean isTheToken(String candidate) {
    return MessageDigest.isEqual(tokenDigest.orElseThrow(), sha256(candidate));
  }

  private static HttpResponse unauthorized(String detail) {
    return ApiError.response(StatusCodes.UNAUTHORIZED, "unauthorized", detail)
        .addHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "tmux-orc")));
  }

  // A declared length is refused before anything is read; a chunked body fails at max-body while being read.
  private Route bounded(Supplier<Route> inner) {
    return extractEntity(entity -> entity.getContentLengthOption().isPresent()
        && entity.getContentLengthOption().getAsLong() > maxBody
        ? complete(ApiError.response(StatusCodes.PAYLOAD_TOO_LARGE, "payload too large",
            "request body over " + maxBody + " bytes (tmux-orc.http.max-body)"))
        : withSizeLimit(maxBody, inner));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
