package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/actions?limit=N}: the latest actions taken, held, suppressed or failed (the journal's
 * {@code Action} entries, newest last), each with its {@code seq}.
 */
final class ActionRoutes {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final ApiBackend backend;
  private final Endpoints endpoints;

  ActionRoutes(ApiBackend backend, Endpoints endpoints) {
    this.backend = backend;
    this.endpoints = endpoints;
  }

  public Route route() {
    return path(segment("api").slash("actions"), () -> endpoints.secured("/api/actions", () -> get(() ->
        parameterOptional("limit", text -> {
          int limit;
          try {
            limit = text.map(Integer::parseInt).orElse(DEFAULT_LIMIT);
          } catch (NumberFormatException e) {
            limit = -1;
          }
          if (limit < 1 || limit > MAX_LIMIT) {
            return complete(ApiError.badRequest("limit: '" + text.orElse("") + "' is not a number from 1 to "
                + MAX_LIMIT));
          }
          int chosen = limit;
          return endpoints.onBackend(() -> backend.actions(chosen), actions ->
              completeOK(actions, JsonBody.marshaller()));
        }))));
  }
}
