package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.actions.PaneTyper;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.fleet.AgentFilter;
import dev.tmuxorc.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The fleet: {@code /api/agents} (filtered), one agent, its last screen (once, or as a stream of its changes),
 * why it is in its state ({@code explain}),
 * a message typed into its prompt ({@code POST /api/agents/{paneId}/message}), and {@code /api/sessions}.
 */
final class AgentRoutes {

  static final List<String> STATES = Arrays.stream(AgentState.values()).map(AgentState::wireName).toList();
  static final List<String> ROLES = Arrays.stream(Role.values()).map(Role::wireName).toList();

  /** The longest text a message may carry (characters, before control characters are removed). */
  static final int MAX_MESSAGE = 4000;
  /**
   * How long a message's route waits for the typing's outcome: three times backend-timeout (15 s by default), at
   * most 18 s (under pekko's 20 s request timeout).
   */
  private final java.time.Duration messageWait;

  private final ApiBackend backend;
  private final Endpoints endpoints;
  private final ScreenStream screens;

  AgentRoutes(ApiBackend backend, Endpoints endpoints, ScreenStream screens) {
    this.backend = backend;
    this.endpoints = endpoints;
    this.screens = screens;
    java.time.Duration wait = endpoints.backendTimeout().multipliedBy(3);
    this.messageWait = wait.compareTo(java.time.Duration.ofSeconds(18)) > 0 ? java.time.Duration.ofSeconds(18) : wait;
  }

  public Route route() {
    return concat(
        path(segment("api").slash("agents"), () -> endpoints.secured("/api/agents", () -> get(this::agents))),
        pathPrefix(segment("api").slash("agents").slash(segment()), id -> concat(
            pathEnd(() -> endpoints.secured("/api/agents/{paneId}", () -> get(() -> withPane(id, this::agent)))),
            path("screen", () -> endpoints.secured("/api/agents/{paneId}/screen", () -> get(() ->
                withPane(id, this::screen)))),
            path(segment("screen").slash("stream"), () -> endpoints.secured("/api/agents/{paneId}/screen/stream",
                () -> get(() -> withPane(id, this::screenStream)))),
            path("explain", () -> endpoints.secured("/api/agents/{paneId}/explain", () -> get(() ->
                withPane(id, this::explain)))),
            path("message", () -> endpoints.secured("/api/agents/{paneId}/message", () -> post(() ->
                withPane(id, pane -> entity(Unmarshaller.entityToString(), body -> message(pane, body)))))))),
        path(segment("api").slash("sessions"), () -> endpoints.secured("/api/sessions", () -> get(() ->
            endpoints.onBackend(backend::sessions, sessions ->
                completeOK(sessions, JsonBody.marshaller()))))));
  }

  private Route agents() {
    return parameterOptional("state", state -> parameterOptional("session", session ->
        parameterOptional("role", role -> {
          if (state.isPresent() && !STATES.contains(state.get())) {
            return complete(ApiError.badRequest(
                "state: '" + state.get() + "' is not one of " + String.join(", ", STATES)));
          }
          if (role.isPresent() && !ROLES.contains(role.get())) {
            return complete(ApiError.badRequest(
                "role: '" + role.get() + "' is not one of " + String.join(", ", ROLES)));
          }
          AgentFilter filter = new AgentFilter(state.map(AgentState::fromWireName), session,
              role.map(r -> Role.valueOf(r.toUpperCase(Locale.ROOT))));
          return endpoints.onBackend(() -> backend.agentsJson(filter), json ->
              complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, json)));
        })));
  }

  private Route agent(PaneId pane) {
    return endpoints.onBackend(() -> backend.agent(pane), view -> view
        .<Route>map(found -> completeOK(found, JsonBody.marshaller()))
        .orElseGet(() -> complete(ApiError.response(StatusCodes.NOT_FOUND, "unknown pane",
            "no agent in pane " + pane))));
  }

  private Route screen(PaneId pane) {
    return endpoints.onBackend(() -> backend.screen(pane), text -> text
        .<Route>map(found -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, found)))
        .orElseGet(() -> complete(ApiError.response(StatusCodes.NOT_FOUND, "no screen",
            "no captured screen for pane " + pane))));
  }

  private Route screenStream(PaneId pane) {
    return endpoints.onBackend(() -> backend.screen(pane), text -> text
        .<Route>map(first -> completeOK(screens.events(pane, first), EventStreamMarshalling.toEventStream()))
        .orElseGet(() -> complete(ApiError.response(StatusCodes.NOT_FOUND, "no screen",
            "no captured screen for pane " + pane))));
  }

  private Route explain(PaneId pane) {
    return endpoints.onBackend(() -> backend.explain(pane), explanation -> explanation
        .<Route>map(found -> completeOK(found, JsonBody.marshaller()))
        .orElseGet(() -> complete(ApiError.response(StatusCodes.NOT_FOUND, "unknown pane",
            "no agent in pane " + pane))));
  }

  /**
   * Text typed into the agent's prompt ({@code {"text": "..."}}): printable once control characters are removed,
   * at most {@link #MAX_MESSAGE} characters. Typing is verified, which takes seconds: an outcome not known within
   * {@link #messageWait} is answered 202 {@code pending} (its end is journalled all the same).
   */
  private Route message(PaneId pane, String body) {
    JsonNode json;
    try {
      json = body.isBlank() ? null : Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      return complete(ApiError.badRequest("body: not JSON like {\"text\": \"...\"}"));
    }
    if (json == null || !json.path("text").isTextual()) {
      return complete(ApiError.badRequest("text: missing (a JSON body like {\"text\": \"...\"})"));
    }
    String raw = json.path("text").asText();
    if (raw.length() > MAX_MESSAGE) {
      return complete(ApiError.badRequest("text: " + raw.length() + " characters, over the limit of "
          + MAX_MESSAGE));
    }
    String text = PaneTyper.printable(raw);
    if (text.isBlank()) {
      return complete(ApiError.badRequest("text: nothing to type once control characters are removed"));
    }
    return onSuccess(() -> Endpoints.within(backend.message(pane, text), messageWait)
        .exceptionally(failure -> {
          Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
              ? failure.getCause() : failure;
          if (cause instanceof java.util.concurrent.TimeoutException) {
            return Acted.of("pending", "still typing after " + messageWait.toMillis()
                + " ms: its outcome goes to the journal (GET /api/actions)");
          }
          throw failure instanceof RuntimeException runtime ? runtime
              : new java.util.concurrent.CompletionException(failure);
        }), AgentRoutes::acted);
  }

  /** An act's outcome as JSON, with the status it stands for. */
  static Route acted(Acted acted) {
    return complete(acted.status(), acted.body(), JsonBody.marshaller());
  }

  /** The pane id of a path segment (decoded: {@code %253} arrives as {@code %3}), or 400 for anything else. */
  static Route withPane(String segment, Function<PaneId, Route> inner) {
    return PaneId.parse(segment).map(inner)
        .orElseGet(() -> complete(ApiError.badRequest(
            "not a tmux pane id (% and digits, URL-encoded as %25): '" + segment + "'")));
  }

}
