package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterMap;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.journal.JournalStore;
import dev.tmuxorc.journal.Since;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /api/journal}: the journal's entries, oldest first, as a JSON array, each with its {@code seq}
 * first: {@code ?type=StateChanged,FleetSample}, {@code ?agent=%253}, {@code ?since=10m} (or an ISO time),
 * {@code ?after=SEQ}, {@code ?limit=N} (500; 1 to 10,000) and {@code ?newest=true} (the latest {@code limit}
 * rather than the first after {@code after}, still oldest first). What the dashboard's charts and history read.
 */
final class JournalRoutes {

  static final int DEFAULT_LIMIT = 500;
  static final int MAX_LIMIT = 10_000;

  private final ApiBackend backend;
  private final Endpoints endpoints;
  private final Clock clock;

  JournalRoutes(ApiBackend backend, Endpoints endpoints, Clock clock) {
    this.backend = backend;
    this.endpoints = endpoints;
    this.clock = clock;
  }

  public Route route() {
    return path(segment("api").slash("journal"), () -> endpoints.secured("/api/journal", () -> get(() ->
        parameterMap(parameters -> {
          JournalStore.Filter filter;
          try {
            filter = filter(parameters);
          } catch (IllegalArgumentException e) {
            return complete(ApiError.badRequest(e.getMessage()));
          }
          return endpoints.onBackend(() -> backend.journal(filter), entries ->
              completeOK(entries, JsonBody.marshaller()));
        }))));
  }

  /** The query's filter; an IllegalArgumentException whose message names the parameter for anything wrong. */
  private JournalStore.Filter filter(Map<String, String> parameters) {
    Set<String> types = Set.of();
    String type = parameters.get("type");
    if (type != null) {
      types = Arrays.stream(type.split(",")).map(String::trim).filter(t -> !t.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
      if (types.isEmpty()) {
        throw new IllegalArgumentException("type: give one or more entry types, e.g. StateChanged,FleetSample");
      }
    }
    Set<String> panes = Set.of();
    String agent = parameters.get("agent");
    if (agent != null) {
      panes = Set.of(PaneId.parse(agent).orElseThrow(() -> new IllegalArgumentException(
          "agent: not a tmux pane id (% and digits, URL-encoded as %25): '" + agent + "'")).value());
    }
    Optional<Instant> since = Optional.empty();
    String sinceText = parameters.get("since");
    if (sinceText != null) {
      try {
        since = Optional.of(Since.parse(sinceText, clock.instant(), ZoneId.systemDefault()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("since: " + e.getMessage(), e);
      }
    }
    long after = number(parameters, "after", 0, 0, Long.MAX_VALUE, "a sequence number (0 or more)");
    int limit = (int) number(parameters, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, "a number from 1 to " + MAX_LIMIT);
    boolean newest = false;
    String newestText = parameters.get("newest");
    if (newestText != null) {
      if (!newestText.equals("true") && !newestText.equals("false")) {
        throw new IllegalArgumentException("newest: '" + newestText + "' is not true or false");
      }
      newest = newestText.equals("true");
    }
    return new JournalStore.Filter(after, Long.MAX_VALUE, since, types, panes, limit, newest);
  }

  private static long number(Map<String, String> parameters, String name, long otherwise, long min, long max,
      String what) {
    String text = parameters.get(name);
    if (text == null) {
      return otherwise;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(name + ": '" + text + "' is not " + what);
  }
}
