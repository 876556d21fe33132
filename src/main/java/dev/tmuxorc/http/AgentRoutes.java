package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.fleet.AgentFilter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The fleet: {@code /api/agents} (filtered), one agent, its last screen, why it is in its state ({@code explain}),
 * and {@code /api/sessions}.
 */
final class AgentRoutes {

  static final List<String> STATES = Arrays.stream(AgentState.values()).map(AgentState::wireName).toList();
  static final List<String> ROLES = Arrays.stream(Role.values()).map(Role::wireName).toList();

  private final ApiBackend backend;
  private final Endpoints endpoints;

  AgentRoutes(ApiBackend backend, Endpoints endpoints) {
    this.backend = backend;
    this.endpoints = endpoints;
  }

  public Route route() {
    return concat(
        path(segment("api").slash("agents"), () -> endpoints.secured("/api/agents", () -> get(this::agents))),
        pathPrefix(segment("api").slash("agents").slash(segment()), id -> concat(
            pathEnd(() -> endpoints.secured("/api/agents/{paneId}", () -> get(() -> withPane(id, this::agent)))),
            path("screen", () -> endpoints.secured("/api/agents/{paneId}/screen", () -> get(() ->
                withPane(id, this::screen)))),
            path("explain", () -> endpoints.secured("/api/agents/{paneId}/explain", () -> get(() ->
                withPane(id, this::explain)))))),
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

  private Route explain(PaneId pane) {
    return endpoints.onBackend(() -> backend.explain(pane), explanation -> explanation
        .<Route>map(found -> completeOK(found, JsonBody.marshaller()))
        .orElseGet(() -> complete(ApiError.response(StatusCodes.NOT_FOUND, "unknown pane",
            "no agent in pane " + pane))));
  }

  /** The pane id of a path segment (decoded: {@code %253} arrives as {@code %3}), or 400 for anything else. */
  static Route withPane(String segment, Function<PaneId, Route> inner) {
    return PaneId.parse(segment).map(inner)
        .orElseGet(() -> complete(ApiError.badRequest(
            "not a tmux pane id (% and digits, URL-encoded as %25): '" + segment + "'")));
  }

}
