package dev.tmuxorc.app;

import dev.tmuxorc.http.RequestObserver;
import dev.tmuxorc.metrics.Metrics;
import java.time.Duration;

/** What the HTTP API serves, counted in the metrics. */
record MetricsObserver(Metrics metrics) implements RequestObserver {

  @Override
  public void observe(String routeTemplate, int status, Duration took) {
    metrics.httpRequest(routeTemplate, status, took);
  }

  @Override
  public void sseConnected() {
    metrics.sseClientConnected();
  }

  @Override
  public void sseDisconnected() {
    metrics.sseClientDisconnected();
  }

  @Override
  public void sseDropped() {
    metrics.sseClientDropped();
  }
}
