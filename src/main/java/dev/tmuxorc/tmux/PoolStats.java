package dev.tmuxorc.tmux;

/** A snapshot of the pool's counters, for logs, the CLI and metrics. */
public record PoolStats(
    int size,
    int idle,
    int waiting,
    int inFlight,
    long created,
    long reused,
    long recycled,
    long replaced,
    long acquisitions,
    long timeouts,
    long failedBatches,
    boolean available,
    String unavailableReason,
    long recentTimeouts) {

  /** The window {@code recentTimeouts} counts: timeouts of the last ten minutes, what health judges. */
  public static final java.time.Duration RECENT = java.time.Duration.ofMinutes(10);
}
