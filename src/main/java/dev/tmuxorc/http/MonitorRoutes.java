package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.json.Json;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/** Pausing and resuming the supervisor's actions: {@code POST /api/monitor/pause} and {@code /resume}. */
final class MonitorRoutes {

  // A number and a unit, as in the config files: "90s", "10m", "1.5h". A bare number would silently mean ms.
  private static final Pattern DURATION = Pattern.compile("\\s*[0-9]+(\\.[0-9]+)?\\s*[a-zA-Z]+\\s*");

  private final ApiBackend backend;
  private final Endpoints endpoints;

  MonitorRoutes(ApiBackend backend, Endpoints endpoints) {
    this.backend = backend;
    this.endpoints = endpoints;
  }

  public Route route() {
    return concat(
        path(segment("api").slash("monitor").slash("pause"), () -> endpoints.secured("/api/monitor/pause", () ->
            post(() -> parameterOptional("duration", query -> entity(Unmarshaller.entityToString(), body -> {
              Optional<String> text;
              try {
                text = query.isPresent() ? query : fromBody(body);
              } catch (JsonProcessingException e) {
                return complete(ApiError.badRequest("body: not JSON like {\"duration\": \"10m\"}"));
              }
              if (text.isEmpty()) {
                return complete(ApiError.badRequest(
                    "duration: missing (?duration=10m or {\"duration\": \"10m\"})"));
              }
              Optional<Duration> duration = parse(text.get());
              if (duration.isEmpty()) {
                return complete(ApiError.badRequest(
                    "duration: '" + text.get() + "' is not a positive duration like 90s, 10m or 2h"));
              }
              return endpoints.onBackend(() -> backend.pause(duration.get()), until ->
                  completeOK(Map.of("pausedUntil", until.toString()), JsonBody.marshaller()));
            }))))),
        path(segment("api").slash("monitor").slash("resume"), () -> endpoints.secured("/api/monitor/resume", () ->
            post(() -> endpoints.onBackend(backend::resume, done ->
                completeOK(Map.of("status", "resumed"), JsonBody.marshaller()))))));
  }

  private static Optional<String> fromBody(String body) throws JsonProcessingException {
    if (body.isBlank()) {
      return Optional.empty();
    }
    JsonNode duration = Json.MAPPER.readTree(body).path("duration");
    return duration.isTextual() ? Optional.of(duration.asText()) : Optional.empty();
  }

  /** A positive duration written as in the config files ("10m"), or empty. */
  static Optional<Duration> parse(String text) {
    if (!DURATION.matcher(text).matches()) {
      return Optional.empty();
    }
    try {
      Duration d = ConfigFactory.parseMap(Map.of("d", text)).getDuration("d");
      return d.isZero() || d.isNegative() ? Optional.empty() : Optional.of(d);
    } catch (ConfigException e) {
      return Optional.empty();
    }
  }
}
