package dev.tmuxorc.monitor;

import java.time.Instant;
import java.util.List;

/**
 * Cycle timings over one report interval, published on the event stream (and logged) every
 * {@code report-interval}: how many cycles ran, their percentiles, how many captures were made, and how many
 * screens full cycles reused because their windows had no activity since they were captured.
 */
public record CycleReport(Instant at, String strategy, int agents, int cycles, double p50Ms, double p95Ms,
    double p99Ms, double maxMs, double discoveryP50Ms, double sweepP50Ms, long captures, long captureFailures,
    long reused) {

  /** Builds a report from the cycle, discovery and sweep durations of one interval, in nanoseconds. */
  static CycleReport of(Instant at, String strategy, int agents, List<Long> cycles, List<Long> discoveries,
      List<Long> sweeps, long captures, long failures, long reused) {
    List<Long> sorted = cycles.stream().sorted().toList();
    return new CycleReport(at, strategy, agents, cycles.size(), ms(percentile(sorted, 0.50)),
        ms(percentile(sorted, 0.95)), ms(percentile(sorted, 0.99)), ms(sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1)),
        ms(percentile(discoveries.stream().sorted().toList(), 0.50)),
        ms(percentile(sweeps.stream().sorted().toList(), 0.50)), captures, failures, reused);
  }

  /** Nearest-rank percentile of sorted values; 0 when there are none. */
  public static long percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** Nanoseconds as milliseconds, to the microsecond. */
  public static double ms(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
