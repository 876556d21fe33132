package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.json.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The hook intake: {@code POST /api/hooks/claude} (and {@code codex}, {@code gemini}) with the hook's JSON as the
 * agent sends it; the pane in the {@code X-Tmux-Pane} header or {@code ?pane=%N}, else the hook process's
 * ancestors in {@code X-Hook-Pids}. Answers an empty 202 at once: a hook must never wait for the monitor.
 */
final class HookRoutes {

  /** Ancestor pids read at most. */
  static final int MAX_PIDS = 16;

  private final ApiBackend backend;
  private final Endpoints endpoints;
  private final Clock clock;

  HookRoutes(ApiBackend backend, Endpoints endpoints, Clock clock) {
    this.backend = backend;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  Route route() {
    return path(segment("api").slash("hooks").slash(segment()), source ->
        endpoints.secured("/api/hooks/{source}", () -> post(() ->
            optionalHeaderValueByName("X-Tmux-Pane", header ->
                parameterOptional("pane", query ->
                    optionalHeaderValueByName("X-Hook-Pids", pids ->
                        entity(Unmarshaller.entityToString(), body ->
                            accept(source, header.or(() -> query), pids, body))))))));
  }

  private Route accept(String source, Optional<String> paneText, Optional<String> pidsText, String body) {
    if (!HookEvent.SOURCES.contains(source)) {
      return complete(ApiError.response(StatusCodes.NOT_FOUND, "not found",
          "no hook intake for '" + source + "' (claude, codex, gemini)"));
    }
    Optional<PaneId> pane = Optional.empty();
    if (paneText.isPresent() && !paneText.get().isBlank()) {
      pane = PaneId.parse(paneText.get().trim());
      if (pane.isEmpty()) {
        return complete(ApiError.badRequest("pane: not a tmux pane id (% and digits)"));
      }
    }
    HookEvent event;
    try {
      JsonNode json = Json.MAPPER.readTree(body);
      event = HookEvent.parse(source, json, clock.instant());
    } catch (JsonProcessingException e) {
      return complete(ApiError.badRequest("body: not JSON"));
    } catch (IllegalArgumentException e) {
      return complete(ApiError.badRequest("body: " + e.getMessage()));
    }
    Optional<PaneId> named = pane;
    // An empty 202: Claude Code reads a hook's answer as the hook's output, and text there would reach the model.
    return endpoints.onBackend(() -> backend.hook(event, named, pids(pidsText)), routed ->
        complete(HttpResponse.create().withStatus(StatusCodes.ACCEPTED))); // pekko's own 202 has a text body
  }

  // Numbers only, a few: anything else in the header is ignored rather than refused (it is only a hint).
  static List<Integer> pids(Optional<String> header) {
    List<Integer> pids = new ArrayList<>();
    if (header.isPresent()) {
      for (String part : header.get().split(",")) {
        String pid = part.trim();
        if (pids.size() < MAX_PIDS && pid.matches("[0-9]{1,9}")) {
          pids.add(Integer.parseInt(pid));
        }
      }
    }
    return List.copyOf(pids);
  }
}
