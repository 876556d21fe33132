package dev.tmuxorc.monitor;

import java.util.concurrent.atomic.AtomicLong;

/** Captures delivered, counted on the threads that deliver them (the clients' reader threads). */
final class CaptureCounts {

  private final AtomicLong total = new AtomicLong();
  private final AtomicLong interval = new AtomicLong();
  private final AtomicLong intervalFailures = new AtomicLong();

  void delivered(boolean failed) {
    total.incrementAndGet();
    interval.incrementAndGet();
    if (failed) {
      intervalFailures.incrementAndGet();
    }
  }

  long total() {
    return total.get();
  }

  long intervalCaptures() {
    return interval.getAndSet(0);
  }

  long intervalFailures() {
    return intervalFailures.getAndSet(0);
  }
}
