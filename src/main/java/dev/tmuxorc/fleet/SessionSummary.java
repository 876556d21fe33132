package dev.tmuxorc.fleet;

import java.util.Map;

/** One tmux session as discovery saw it: its windows and panes, and its agents by state (wire names). */
public record SessionSummary(String name, String id, int windows, int panes, int agents,
    Map<String, Integer> byState) { }
