package dev.tmuxorc.fleet;

import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.json.JsonEvent;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fleet's counts at one moment, published on the event stream by the FleetView at each cycle report and
 * journalled, so that the dashboard can chart the fleet over time: agents in all, by state and by health (every
 * wire name, zeros included, in the enums' order) and how many need someone's attention.
 */
public record FleetSample(Instant at, int agents, Map<String, Integer> byState, Map<String, Integer> byHealth,
    int attention) implements JsonEvent {

  /** The states that need someone: a question, a prompt left unsent, an error, a crash, a rate limit. */
  public static final Set<AgentState> ATTENTION = Collections.unmodifiableSet(EnumSet.of(AgentState.WAITING,
      AgentState.UNSUBMITTED, AgentState.ERROR, AgentState.CRASHED, AgentState.RATE_LIMITED));

  // Copies that keep the order: a chart's series come in the order given.
  public FleetSample {
    byState = Collections.unmodifiableMap(new LinkedHashMap<>(byState));
    byHealth = Collections.unmodifiableMap(new LinkedHashMap<>(byHealth));
  }

  @Override
  public Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", "FleetSample");
    json.put("at", at.toString());
    json.put("atMillis", at.toEpochMilli());
    json.put("agents", agents);
    json.put("byState", byState);
    json.put("byHealth", byHealth);
    json.put("attention", attention);
    return json;
  }
}
