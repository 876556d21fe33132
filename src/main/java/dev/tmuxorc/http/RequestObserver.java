package dev.tmuxorc.http;

import java.time.Duration;

/**
 * Where the HTTP API reports what it serves, for the metrics. Route templates ({@code /api/agents/{paneId}}) are
 * a fixed set, never raw paths, so that label cardinality stays bounded. Called on server threads: keep it cheap.
 */
@FunctionalInterface
public interface RequestObserver {

  /** Observes nothing. */
  RequestObserver NONE = (route, status, took) -> { };

  /**
   * One response: the route template that answered ({@code unmatched} when none did), its status, and the time
   * to the response's start (for {@code /api/events}: until the stream starts).
   */
  void observe(String routeTemplate, int status, Duration took);

  /** An {@code /api/events} client connected. */
  default void sseConnected() {
  }

  /** An {@code /api/events} client's stream ended, for whatever reason (including being dropped). */
  default void sseDisconnected() {
  }

  /** An {@code /api/events} client fell a whole buffer behind and was dropped. */
  default void sseDropped() {
  }
}
