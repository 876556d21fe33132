package dev.tmuxorc.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitor's cycle bookkeeping: totals since start ({@link CycleStats}) and the durations of the current
 * report interval ({@link CycleReport}). Owned by the monitor's actor thread, except the capture counts, which
 * the threads that deliver captures add to through {@link CaptureCounts}.
 */
final class CycleCounters {

  private final CaptureCounts captures = new CaptureCounts();
  private long cycles;
  private long skipped;
  private long failed;
  private long reused;
  private long intervalReused;
  private Duration last = Duration.ZERO;
  private Duration total = Duration.ZERO;
  private Duration lastDiscovery = Duration.ZERO;
  private Duration lastSweep = Duration.ZERO;
  private final List<Long> intervalCycles = new ArrayList<>();
  private final List<Long> intervalDiscoveries = new ArrayList<>();
  private final List<Long> intervalSweeps = new ArrayList<>();

  CaptureCounts captures() {
    return captures;
  }

  void skipped() {
    skipped++;
  }

  void reused() {
    reused++;
    intervalReused++;
  }

  /** A cycle ended: its duration and, for a full one, how it split between discovery and the sweep. */
  void finished(boolean ok, Duration took, long discoveryNanos, long sweepNanos) {
    lastDiscovery = Duration.ofNanos(discoveryNanos);
    lastSweep = Duration.ofNanos(sweepNanos);
    if (!ok) {
      failed++;
      return;
    }
    cycles++;
    last = took;
    total = total.plus(took);
    intervalCycles.add(took.toNanos());
    intervalDiscoveries.add(discoveryNanos);
    intervalSweeps.add(sweepNanos);
  }

  /** The report of the interval that ends now; the next interval starts empty. */
  CycleReport report(Instant at, String strategy, int agents) {
    CycleReport report = CycleReport.of(at, strategy, agents, intervalCycles, intervalDiscoveries, intervalSweeps,
        captures.intervalCaptures(), captures.intervalFailures(), intervalReused);
    intervalReused = 0;
    intervalCycles.clear();
    intervalDiscoveries.clear();
    intervalSweeps.clear();
    return report;
  }

  CycleStats stats(int agents) {
    return new CycleStats(cycles, skipped, failed, last, total, lastDiscovery, lastSweep, agents,
        captures.total(), reused);
  }
}
