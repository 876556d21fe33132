package dev.tmuxorc.http;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link RequestObserver} that records what it is told. */
final class CountingObserver implements RequestObserver {

  record Observed(String route, int status) { }

  final List<Observed> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger connected = new AtomicInteger();
  final AtomicInteger disconnected = new AtomicInteger();
  final AtomicInteger dropped = new AtomicInteger();

  @Override
  public void observe(String routeTemplate, int status, Duration took) {
    requests.add(new Observed(routeTemplate, status));
  }

  @Override
  public void sseConnected() {
    connected.incrementAndGet();
  }

  @Override
  public void sseDisconnected() {
    disconnected.incrementAndGet();
  }

  @Override
  public void sseDropped() {
    dropped.incrementAndGet();
  }
}
