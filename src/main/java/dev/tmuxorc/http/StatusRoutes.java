package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.tmuxorc.metrics.Metrics;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/** The daemon's own state: {@code /api/status}, {@code /metrics}, {@code /health/live} and {@code /health/ready}. */
final class StatusRoutes {

  /** The Prometheus text exposition format, as the official client names what it writes. */
  static final ContentType.NonBinary PROMETHEUS_TEXT =
      (ContentType.NonBinary) ContentTypes.parse(Metrics.CONTENT_TYPE);

  private final ApiBackend backend;
  private final Endpoints endpoints;

  StatusRoutes(ApiBackend backend, Endpoints endpoints) {
    this.backend = backend;
    this.endpoints = endpoints;
  }

  public Route route() {
    return concat(
        path(segment("api").slash("status"), () -> endpoints.secured("/api/status", () -> get(() ->
            endpoints.onBackend(backend::status, status -> completeOK(status, JsonBody.marshaller()))))),
        path("metrics", () -> endpoints.secured("/metrics", () -> get(() ->
            complete(HttpEntities.create(PROMETHEUS_TEXT, backend.metrics()))))),
        path(segment("health").slash("live"), () -> endpoints.open("/health/live", () -> get(() ->
            completeOK(Map.of("status", "live"), JsonBody.marshaller())))),
        path(segment("health").slash("ready"), () -> endpoints.secured("/health/ready", () -> get(this::ready))));
  }

  private Route ready() {
    if (backend.ready()) {
      return completeOK(Map.of("status", "ready"), JsonBody.marshaller());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", "not ready");
    body.put("detail", backend.notReadyReason());
    return complete(StatusCodes.SERVICE_UNAVAILABLE, body, JsonBody.marshaller());
  }
}
