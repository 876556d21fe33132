package dev.tmuxorc.monitor;

import java.time.Duration;

/**
 * Counters of the monitoring cycle: how many ran, were skipped or failed, how long they took, how the last one
 * split between discovery (list-panes) and the capture sweep, how many captures the cycles delivered, and how
 * many screens full cycles reused instead of capturing them (their windows had no activity since); counts are
 * since the monitor started.
 */
public record CycleStats(long cycles, long skipped, long failed, Duration last, Duration total,
    Duration lastDiscovery, Duration lastSweep, int agents, long captures, long reusedScreens) { }
