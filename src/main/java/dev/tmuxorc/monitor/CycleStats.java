package dev.tmuxorc.monitor;

import java.time.Duration;

/** Counters of the monitoring cycle: how many ran, were skipped or failed, and how long they took. */
public record CycleStats(long cycles, long skipped, long failed, Duration last, Duration total, int agents) {

  public Duration mean() {
    return cycles == 0 ? Duration.ZERO : total.dividedBy(cycles);
  }
}
