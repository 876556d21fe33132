package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.reject;

import java.time.Clock;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The daemon's whole HTTP API: status, agents, sessions, events (SSE), the journal, metrics, health and the
 * monitor's pause, and the web dashboard's files; every error as JSON, everything but {@code /health/live} and
 * the dashboard's files behind the token when one is set.
 */
public final class ApiRoutes {

  private final Route route;

  public ApiRoutes(ActorSystem<?> system, ApiBackend backend, HttpSettings settings, RequestObserver observer) {
    Endpoints endpoints = new Endpoints(settings, observer);
    Clock clock = Clock.systemUTC();
    this.route = concat(
        new StatusRoutes(backend, endpoints).route(),
        new AgentRoutes(backend, endpoints, new ScreenStream(backend, settings, clock)).route(),
        new JournalRoutes(backend, endpoints, clock).route(),
        new EventRoutes(new EventFeed(system, backend, settings, observer), endpoints, settings).route(),
        new MonitorRoutes(backend, endpoints).route(),
        new ActionRoutes(backend, endpoints).route(),
        new ReportRoutes(backend, endpoints).route(),
        new HookRoutes(backend, endpoints, clock).route(),
        new DashboardRoutes(endpoints, Webjar.uplot()).route(),
        // Anything else: 404 as JSON, but only to a client with the token (no probing for what exists).
        endpoints.secured("unmatched", () -> reject()));
  }

  public Route route() {
    return route;
  }
}
