package dev.tmuxorc.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which agent a hook event is about, and what happens to one about no known agent. */
class HookRoutingTest {

  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private final AtomicInteger routed = new AtomicInteger();
  private final AtomicInteger dropped = new AtomicInteger();
  private final List<String> delivered = new ArrayList<>();
  private Instant now = T0;
  private final HookRouting routing = new HookRouting(new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }, new CycleObserver() {
    @Override
    public void hookRouted() {
      routed.incrementAndGet();
    }

    @Override
    public void hookDropped() {
      dropped.incrementAndGet();
    }
  });

  private static AgentPane agent(String pane, int pid) {
    return new AgentPane(new Pane(new PaneId(pane), "$0", "s", 1, "claude-1", 0, pid, "claude", false,
        OptionalInt.empty(), T0, ""), Role.AGENT, AgentKind.CLAUDE);
  }

  private Monitor.Hooked hook(String session, Optional<String> pane, List<Integer> pids) throws Exception {
    HookEvent event = HookEvent.parse("claude", Json.MAPPER.readTree(
        "{\"hook_event_name\": \"Stop\", \"session_id\": \"" + session + "\"}"), now);
    return new Monitor.Hooked(event, pane.map(PaneId::new), pids);
  }

  private void route(Monitor.Hooked hooked, List<AgentPane> agents) {
    routing.route(hooked, agents, (agent, event) -> delivered.add(agent.paneId() + " " + event.sessionId().get()));
  }

  @Test
  void byPaneThenBySessionLearntThenByAncestorPid() throws Exception {
    List<AgentPane> agents = List.of(agent("%1", 100), agent("%2", 200));
    route(hook("a", Optional.of("%2"), List.of()), agents);
    route(hook("a", Optional.empty(), List.of()), agents); // the session is %2's now
    route(hook("b", Optional.empty(), List.of(999, 100, 1)), agents); // the hook runs under %1's process
    assertEquals(List.of("%2 a", "%2 a", "%1 b"), delivered);
    assertEquals(3, routed.get());
  }

  @Test
  void anEventForAPaneNotYetDiscoveredWaitsForTheDiscoveryThatFindsIt() throws Exception {
    route(hook("c", Optional.of("%9"), List.of()), List.of(agent("%1", 100)));
    assertEquals(List.of(), delivered);
    assertEquals(1, routing.waiting());
    now = T0.plusSeconds(5);
    routing.retry(List.of(agent("%1", 100), agent("%9", 900)),
        (agent, event) -> delivered.add(agent.paneId() + " " + event.sessionId().get()));
    assertEquals(List.of("%9 c"), delivered);
    assertEquals(0, routing.waiting());
  }

  @Test
  void anEventForNoAgentIsDroppedAndCountedAfterTheHold() throws Exception {
    route(hook("d", Optional.of("%9"), List.of()), List.of());
    now = T0.plus(HookRouting.HOLD).minusSeconds(1);
    routing.retry(List.of(), (agent, event) -> delivered.add("never"));
    assertEquals(1, routing.waiting(), "still within the hold");
    now = T0.plus(HookRouting.HOLD).plus(Duration.ofSeconds(1));
    routing.retry(List.of(), (agent, event) -> delivered.add("never"));
    assertEquals(0, routing.waiting());
    assertEquals(1, dropped.get());
    assertEquals(List.of(), delivered);
  }
}
