package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import org.apache.pekko.http.javadsl.server.Route;

/**
 * The PM reports for a PM that pulls them ({@code tmux-orc mcp}): {@code GET /api/reports} (what waits for the
 * PMs, and the latest reports) and {@code POST /api/reports/{id}/ack} (a report acknowledged: its escalation to
 * people stops).
 */
final class ReportRoutes {

  private final ApiBackend backend;
  private final Endpoints endpoints;

  ReportRoutes(ApiBackend backend, Endpoints endpoints) {
    this.backend = backend;
    this.endpoints = endpoints;
  }

  public Route route() {
    return concat(
        path(segment("api").slash("reports"), () -> endpoints.secured("/api/reports", () -> get(() ->
            endpoints.onBackend(backend::reports, reports -> completeOK(reports, JsonBody.marshaller()))))),
        path(segment("api").slash("reports").slash(segment()).slash("ack"), id ->
            endpoints.secured("/api/reports/{id}/ack", () -> post(() -> {
              if (!id.matches("[0-9]{1,18}")) {
                return complete(ApiError.badRequest("not a report number: '" + id + "'"));
              }
              long report = Long.parseLong(id);
              return endpoints.onBackend(() -> backend.acknowledge(report), AgentRoutes::acted);
            }))));
  }
}
