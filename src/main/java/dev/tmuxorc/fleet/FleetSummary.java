package dev.tmuxorc.fleet;

import dev.tmuxorc.monitor.CycleReport;
import java.time.Instant;
import java.util.Map;

/**
 * The fleet at a glance: how many agents, by state, health, kind and role (wire names, every state present),
 * how many have hooks and how many of those are stalled or silent ({@code withHooks}, {@code stalled},
 * {@code silent}), when discovery last listed the panes, and the latest cycle report (null before the first).
 */
public record FleetSummary(int agents, Map<String, Integer> byState, Map<String, Integer> byHealth,
    Map<String, Integer> byKind, Map<String, Integer> byRole, Map<String, Integer> hooks, Instant lastListing,
    CycleReport lastReport) { }
