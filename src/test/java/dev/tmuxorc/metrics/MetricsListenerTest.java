package dev.tmuxorc.metrics;

import static dev.tmuxorc.metrics.Samples.count;
import static dev.tmuxorc.metrics.Samples.sum;
import static dev.tmuxorc.metrics.Samples.total;
import static dev.tmuxorc.metrics.Samples.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.monitor.CycleReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The listener keeps the agent gauges right whatever order an agent's events arrive in, observes time in
 * state, and counts events by type. Events are published on the system's event stream, as in production.
 */
@ExtendWith(LogCapturingExtension.class)
class MetricsListenerTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final List<String> AGENT_EVENTS =
      List.of("AgentDiscovered", "StateChanged", "HealthChanged", "AgentGone");

  private final AgentPane claude = agent("%1", 101, Role.AGENT, AgentKind.CLAUDE);
  private final AgentPane codex = agent("%2", 102, Role.AGENT, AgentKind.CODEX);
  private final AgentPane pm = agent("%0", 100, Role.PM, AgentKind.CLAUDE);

  private Metrics metrics;
  private ActorRef<MetricsListener.Command> listener;
  private TestProbe<Void> waiter;
  private int published;

  @BeforeEach
  void start() {
    metrics = new Metrics("test", "event");
    listener = testKit.spawn(MetricsListener.create(metrics));
    waiter = testKit.createTestProbe();
    // The subscription is made when the listener starts: publish reports until one arrives, then it is in place.
    waiter.awaitAssert(() -> {
      testKit.system().eventStream().tell(new EventStream.Publish<>(report()));
      assertTrue(value(metrics, "tmux_orc_events_total", "type", "CycleReport") >= 1);
      return null;
    });
    published = 0;
  }

  @AfterEach
  void stop() {
    testKit.stop(listener);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aSequenceOfEventsMovesAgentsBetweenGauges() {
    publish(new AgentEvent.AgentDiscovered(claude, T0));
    publish(new AgentEvent.AgentDiscovered(codex, T0));
    publish(new AgentEvent.AgentDiscovered(pm, T0));
    publish(changed(claude, AgentState.UNKNOWN, AgentState.WORKING, T0.plusSeconds(2)));
    publish(changed(codex, AgentState.UNKNOWN, AgentState.WORKING, T0.plusSeconds(3)));
    publish(changed(claude, AgentState.WORKING, AgentState.IDLE, T0.plusSeconds(62)));
    publish(changed(pm, AgentState.UNKNOWN, AgentState.WAITING, T0.plusSeconds(5)));
    publish(new AgentEvent.HealthChanged(codex, Health.HEALTHY, Health.WARNING, T0.plusSeconds(70)));
    awaitPublished();

    assertEquals(1, agents("idle", "agent"));
    assertEquals(1, agents("working", "agent"));
    assertEquals(1, agents("waiting", "pm"));
    assertEquals(0, agents("unknown", "agent"));
    assertEquals(2, value(metrics, "tmux_orc_agents_by_health", "health", "healthy"));
    assertEquals(1, value(metrics, "tmux_orc_agents_by_health", "health", "warning"));
    assertEquals(2, value(metrics, "tmux_orc_agents_by_kind", "kind", "claude"));
    assertEquals(1, value(metrics, "tmux_orc_agents_by_kind", "kind", "codex"));
    assertEquals(3, count(metrics, "tmux_orc_agent_state_duration_seconds", "state", "unknown"));
    assertEquals(2 + 3 + 5, sum(metrics, "tmux_orc_agent_state_duration_seconds", "state", "unknown"), 1e-9);
    assertEquals(1, count(metrics, "tmux_orc_agent_state_duration_seconds", "state", "working"));
    assertEquals(60, sum(metrics, "tmux_orc_agent_state_duration_seconds", "state", "working"), 1e-9);
    assertEquals(3, value(metrics, "tmux_orc_events_total", "type", "AgentDiscovered"));
    assertEquals(4, value(metrics, "tmux_orc_events_total", "type", "StateChanged"));
    assertEquals(1, value(metrics, "tmux_orc_events_total", "type", "HealthChanged"));
    assertConsistent(3);

    publish(new AgentEvent.AgentGone(codex, T0.plusSeconds(80)));
    awaitPublished();

    assertEquals(0, agents("working", "agent"));
    assertEquals(0, value(metrics, "tmux_orc_agents_by_health", "health", "warning"));
    assertEquals(0, value(metrics, "tmux_orc_agents_by_kind", "kind", "codex"));
    assertEquals(1, value(metrics, "tmux_orc_events_total", "type", "AgentGone"));
    assertConsistent(2);
  }

  @Test
  void stateAndHealthBeforeDiscoveryAreKeptWhenTheDiscoveryArrives() {
    publish(changed(claude, AgentState.UNKNOWN, AgentState.WORKING, T0.plusSeconds(1)));
    publish(new AgentEvent.HealthChanged(codex, Health.HEALTHY, Health.CRITICAL, T0.plusSeconds(1)));
    publish(new AgentEvent.AgentDiscovered(claude, T0));
    publish(new AgentEvent.AgentDiscovered(codex, T0));
    awaitPublished();

    assertEquals(1, agents("working", "agent"));
    assertEquals(1, agents("unknown", "agent"));
    assertEquals(1, value(metrics, "tmux_orc_agents_by_health", "health", "critical"));
    assertEquals(1, value(metrics, "tmux_orc_agents_by_health", "health", "healthy"));
    // Nobody knows when claude entered "unknown": no time in state is made up.
    assertEquals(0, count(metrics, "tmux_orc_agent_state_duration_seconds", "state", "unknown"));
    assertConsistent(2);

    publish(changed(claude, AgentState.WORKING, AgentState.IDLE, T0.plusSeconds(31)));
    // codex was unknown from its discovery on, whatever arrived first.
    publish(changed(codex, AgentState.UNKNOWN, AgentState.WORKING, T0.plusSeconds(5)));
    awaitPublished();
    assertEquals(30, sum(metrics, "tmux_orc_agent_state_duration_seconds", "state", "working"), 1e-9);
    assertEquals(1, count(metrics, "tmux_orc_agent_state_duration_seconds", "state", "unknown"));
    assertEquals(5, sum(metrics, "tmux_orc_agent_state_duration_seconds", "state", "unknown"), 1e-9);
  }

  @Test
  void noTimeInStateIsObservedWithoutKnowingWhenTheStateBegan() {
    publish(new AgentEvent.HealthChanged(claude, Health.HEALTHY, Health.WARNING, T0.plusSeconds(1)));
    publish(changed(claude, AgentState.UNKNOWN, AgentState.WORKING, T0.plusSeconds(5)));
    publish(changed(codex, AgentState.IDLE, AgentState.WORKING, T0.plusSeconds(5)));
    publish(changed(codex, AgentState.IDLE, AgentState.WAITING, T0.plusSeconds(6))); // missed one in between
    awaitPublished();

    assertEquals(0, Samples.series(metrics, "tmux_orc_agent_state_duration_seconds").size());
    assertEquals(1, agents("working", "agent"));
    assertEquals(1, agents("waiting", "agent"));
    assertConsistent(2);
  }

  @Test
  void lateEventsOfAnAgentThatHasGoneAreIgnored() {
    publish(new AgentEvent.AgentDiscovered(claude, T0));
    publish(new AgentEvent.AgentGone(claude, T0.plusSeconds(10)));
    publish(changed(claude, AgentState.UNKNOWN, AgentState.WORKING, T0.plusSeconds(9)));
    publish(new AgentEvent.HealthChanged(claude, Health.HEALTHY, Health.WARNING, T0.plusSeconds(10)));
    // Its actor, still stopping, may even publish after the AgentGone.
    publish(changed(claude, AgentState.UNKNOWN, AgentState.IDLE, T0.plusSeconds(11)));
    publish(new AgentEvent.AgentDiscovered(claude, T0.plusSeconds(10)));
    awaitPublished();

    assertConsistent(0);
    assertEquals(0, value(metrics, "tmux_orc_agents_by_health", "health", "warning"));

    // The same pane and process listed again later counts again.
    publish(new AgentEvent.AgentDiscovered(claude, T0.plusSeconds(20)));
    awaitPublished();
    assertEquals(1, agents("unknown", "agent"));
    assertConsistent(1);
  }

  @Test
  void goneBeforeDiscoveredLeavesNothingBehind() {
    publish(new AgentEvent.AgentGone(claude, T0.plusSeconds(5)));
    publish(new AgentEvent.AgentDiscovered(claude, T0));
    publish(new AgentEvent.AgentGone(codex, T0));
    awaitPublished();

    assertConsistent(0);
  }

  @Test
  void aRespawnedPaneIsANewAgent() {
    AgentPane respawned = agent("%1", 555, Role.AGENT, AgentKind.CLAUDE);
    publish(new AgentEvent.AgentDiscovered(claude, T0));
    publish(changed(claude, AgentState.UNKNOWN, AgentState.CRASHED, T0.plusSeconds(1)));
    publish(new AgentEvent.AgentGone(claude, T0.plusSeconds(2)));
    publish(new AgentEvent.AgentDiscovered(respawned, T0.plusSeconds(2)));
    awaitPublished();

    assertEquals(0, agents("crashed", "agent"));
    assertEquals(1, agents("unknown", "agent"));
    assertConsistent(1);
  }

  @Test
  void aKindLearnedLaterMovesTheAgent() {
    AgentPane unknownKind = agent("%3", 103, Role.AGENT, AgentKind.UNKNOWN);
    AgentPane knownKind = agent("%3", 103, Role.AGENT, AgentKind.AIDER);
    publish(new AgentEvent.AgentDiscovered(unknownKind, T0));
    publish(changed(knownKind, AgentState.UNKNOWN, AgentState.IDLE, T0.plusSeconds(1)));
    awaitPublished();

    assertEquals(0, value(metrics, "tmux_orc_agents_by_kind", "kind", "unknown"));
    assertEquals(1, value(metrics, "tmux_orc_agents_by_kind", "kind", "aider"));
    assertConsistent(1);
  }

  @Test
  void aStoppedListenerTakesItsAgentsOutOfTheGauges() {
    publish(new AgentEvent.AgentDiscovered(claude, T0));
    publish(new AgentEvent.AgentDiscovered(pm, T0));
    awaitPublished();
    assertConsistent(2);

    testKit.stop(listener);
    assertConsistent(0);
    listener = testKit.spawn(MetricsListener.create(metrics)); // for stop() after the test
  }

  @Test
  void labelsStayWithinTheVocabulary() {
    for (int i = 0; i < 200; i++) {
      AgentPane agent = agent("%" + i, 1000 + i, i % 7 == 0 ? Role.PM : Role.AGENT, AgentKind.values()[i % 5]);
      publish(new AgentEvent.AgentDiscovered(agent, T0));
      publish(changed(agent, AgentState.UNKNOWN, AgentState.values()[i % 9], T0.plusSeconds(i)));
      publish(new AgentEvent.HealthChanged(agent, Health.HEALTHY, Health.values()[i % 4], T0.plusSeconds(i)));
    }
    awaitPublished();

    assertEquals(AgentState.values().length * Role.values().length,
        Samples.series(metrics, "tmux_orc_agents_by_state").size());
    assertEquals(Health.values().length, Samples.series(metrics, "tmux_orc_agents_by_health").size());
    assertEquals(AgentKind.values().length, Samples.series(metrics, "tmux_orc_agents_by_kind").size());
    assertEquals(AgentEvent.class.getPermittedSubclasses().length + 1,
        Samples.series(metrics, "tmux_orc_events_total").size()); // each agent event, CycleReport
    assertTrue(Samples.series(metrics, "tmux_orc_agent_state_duration_seconds").size() <= AgentState.values().length);
    assertConsistent(200);
  }

  /** Every gauge counts the same agents, none is negative. */
  private void assertConsistent(int agents) {
    for (String gauge : List.of("tmux_orc_agents_by_state", "tmux_orc_agents_by_health", "tmux_orc_agents_by_kind")) {
      assertEquals(agents, total(metrics, gauge), gauge);
      Samples.series(metrics, gauge).forEach(labels ->
          assertTrue(value(metrics, gauge, labels.stream().flatMap(l -> Stream.of(l.getName(),
              l.getValue())).toArray(String[]::new)) >= 0, gauge + labels));
    }
  }

  private double agents(String state, String role) {
    return value(metrics, "tmux_orc_agents_by_state", "state", state, "role", role);
  }

  private void publish(AgentEvent event) {
    testKit.system().eventStream().tell(new EventStream.Publish<>(event));
    published++;
  }

  /** The listener has seen every agent event published (the stream keeps one publisher's order). */
  private void awaitPublished() {
    waiter.awaitAssert(() -> {
      assertEquals(published, AGENT_EVENTS.stream()
          .mapToDouble(type -> value(metrics, "tmux_orc_events_total", "type", type)).sum());
      return null;
    });
  }

  private static AgentEvent.StateChanged changed(AgentPane agent, AgentState from, AgentState to, Instant at) {
    return new AgentEvent.StateChanged(agent, from, to, List.of(), Optional.empty(), at);
  }

  private static CycleReport report() {
    return new CycleReport(Instant.now(), "event", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  private static AgentPane agent(String paneId, int pid, Role role, AgentKind kind) {
    Pane pane = new Pane(new PaneId(paneId), "$0", "fleet", Integer.parseInt(paneId.substring(1)), "w" + paneId.substring(1), 0,
        pid, kind.wireName(), false, OptionalInt.empty(), T0, role == Role.PM ? "pm" : "");
    return new AgentPane(pane, role, kind);
  }
}
