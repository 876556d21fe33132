package dev.tmuxorc.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.agent.AgentEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.agent.AgentFlag;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.cache.CacheLayer;
import dev.tmuxorc.cache.CacheStats;
import dev.tmuxorc.cache.Caches;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.monitor.CycleReport;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.testing.TestSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The read model answers from events and listings alone: no agent actor is asked. */
class FleetViewTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final Settings settings = TestSettings.settings("unused");
  private final Caches caches = new Caches(settings);
  private final ActorRef<FleetView.Command> fleet =
      testKit.spawn(FleetView.create(caches, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC)));

  private static AgentPane agent(String pane, String session, int window, String name, Role role) {
    return new AgentPane(new Pane(new PaneId(pane), "$" + session.length(), session, window, name, 0,
        1000 + window, "claude", false, OptionalInt.empty(), T0, ""), role, AgentKind.CLAUDE);
  }

  private void publish(AgentEvent event) {
    testKit.system().eventStream().tell(new EventStream.Publish<>(event));
  }

  /**
   * Waits until the FleetView has subscribed: it subscribes from its setup, which may run after the test's first
   * publish (an event published before is lost, and under load it was). Its AgentEvent subscription is sent
   * before its CycleReport one, so a report it has seen proves both in place.
   */
  private void awaitSubscribed() {
    awaitSubscribed(fleet);
  }

  private static void awaitSubscribed(ActorRef<FleetView.Command> fleet) {
    CycleReport report = new CycleReport(T0, "event", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    TestProbe<FleetSummary> summary = testKit.createTestProbe();
    summary.awaitAssert(PATIENCE, () -> {
      testKit.system().eventStream().tell(new EventStream.Publish<>(report));
      fleet.tell(new FleetView.GetSummary(summary.getRef()));
      assertEquals(report, summary.receiveMessage(PATIENCE).lastReport());
      return null;
    });
  }

  private List<AgentStatus> agents(AgentFilter filter) {
    TestProbe<List<AgentStatus>> probe = testKit.createTestProbe();
    fleet.tell(new FleetView.GetAgents(filter, probe.getRef()));
    return probe.receiveMessage(PATIENCE);
  }

  private Optional<AgentStatus> agent(String pane) {
    TestProbe<Optional<AgentStatus>> probe = testKit.createTestProbe();
    fleet.tell(new FleetView.GetAgent(new PaneId(pane), probe.getRef()));
    return probe.receiveMessage(PATIENCE);
  }

  @Test
  void statesHealthAndTimeInStateComeFromTheEvents() {
    AgentPane pm = agent("%1", "proj", 0, "pm", Role.PM);
    AgentPane dev = agent("%2", "proj", 1, "claude-1", Role.AGENT);
    awaitSubscribed();
    fleet.tell(new FleetView.Listed(new Monitor.Listing(List.of(pm, dev), List.of(pm.pane(), dev.pane()), T0)));
    List<Evidence> evidence = List.of(new Evidence("working", "esc to interrupt", 3, "spinner"));
    publish(new AgentEvent.StateChanged(dev, AgentState.UNKNOWN, AgentState.WORKING, evidence, Optional.empty(),
        T0.plusSeconds(10)));
    publish(new AgentEvent.StateChanged(dev, AgentState.WORKING, AgentState.IDLE, List.of(), Optional.empty(),
        T0.plusSeconds(40)));
    publish(new AgentEvent.HealthChanged(pm, Health.HEALTHY, Health.WARNING, T0.plusSeconds(41)));

    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, () -> {
      AgentStatus status = agent("%2").orElseThrow();
      assertEquals(AgentState.IDLE, status.state());
      assertEquals(AgentState.WORKING, status.previousState());
      assertEquals(Duration.ofSeconds(30), status.timeInState().get(AgentState.WORKING));
      assertEquals(Duration.ofSeconds(20), status.timeInState().get(AgentState.IDLE), "since then, until now");
      assertEquals(Health.WARNING, agent("%1").orElseThrow().health());
      return null;
    });
    assertEquals(List.of("pm", "claude-1"), agents(AgentFilter.ALL).stream()
        .map(s -> s.agent().pane().windowName()).toList(), "in target order");
    assertEquals(List.of("claude-1"), agents(new AgentFilter(Optional.of(AgentState.IDLE), Optional.empty(),
        Optional.empty())).stream().map(s -> s.agent().pane().windowName()).toList());
    assertEquals(1, agents(new AgentFilter(Optional.empty(), Optional.of("proj"), Optional.of(Role.PM))).size());
    assertEquals(Optional.empty(), agent("%9"));

    TestProbe<FleetSummary> summary = testKit.createTestProbe();
    fleet.tell(new FleetView.GetSummary(summary.getRef()));
    FleetSummary s = summary.receiveMessage(PATIENCE);
    assertEquals(2, s.agents());
    assertEquals(1, s.byState().get("idle"));
    assertEquals(1, s.byState().get("unknown"));
    assertEquals(0, s.byState().get("crashed"), "every state is present");
    assertEquals(1, s.byHealth().get("warning"));

    TestProbe<List<SessionSummary>> sessions = testKit.createTestProbe();
    fleet.tell(new FleetView.GetSessions(sessions.getRef()));
    SessionSummary proj = sessions.receiveMessage(PATIENCE).get(0);
    assertEquals("proj", proj.name());
    assertEquals(2, proj.windows());
    assertEquals(2, proj.agents());

    CacheStats statuses = caches.stats().stream().filter(c -> c.layer().equals(CacheLayer.AGENT_STATUS.wireName()))
        .findFirst().orElseThrow();
    assertEquals(2, statuses.size());
    assertTrue(statuses.hits() >= 2 && statuses.misses() >= 1, statuses.toString());
  }

  @Test
  void hookFactsAndFlagsComeFromTheEventsAndAFlagBringsTheRuleThatDecidesNow() {
    AgentPane dev = agent("%5", "proj", 1, "claude-1", Role.AGENT);
    awaitSubscribed();
    fleet.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev), List.of(dev.pane()), T0)));
    publish(new AgentEvent.HookReceived(dev, new HookEvent("claude", "PreToolUse", Optional.of("s-1"),
        Optional.empty(), Optional.empty(), Map.of(), T0.plusSeconds(1)), T0.plusSeconds(1)));
    publish(new AgentEvent.StateChanged(dev, AgentState.UNKNOWN, AgentState.WORKING,
        List.of(new Evidence("hook", "PreToolUse", 0, "hooks say working")), Optional.empty(), T0.plusSeconds(1)));
    List<Evidence> stalled = List.of(new Evidence("stalled", "PreToolUse", 0, "nothing moved"));
    publish(new AgentEvent.FlagChanged(dev, AgentFlag.STALLED, true, "nothing moved", stalled, T0.plusSeconds(9)));

    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, () -> {
      AgentStatus status = agent("%5").orElseThrow();
      assertEquals(AgentState.WORKING, status.state(), "the state stays");
      assertEquals(stalled, status.evidence(), "the rule that decides it now");
      assertTrue(status.hooks().orElseThrow().stalled());
      assertEquals(Optional.of("s-1"), status.hooks().orElseThrow().sessionId());
      return null;
    });
    TestProbe<FleetSummary> summary = testKit.createTestProbe();
    fleet.tell(new FleetView.GetSummary(summary.getRef()));
    assertEquals(Map.of("withHooks", 1, "stalled", 1, "silent", 0), summary.receiveMessage(PATIENCE).hooks());
  }

  @Test
  void anAgentThatLeftIsNotBroughtBackByALateEvent() {
    AgentPane dev = agent("%5", "other", 1, "claude-5", Role.AGENT);
    awaitSubscribed();
    fleet.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev), List.of(dev.pane()), T0)));
    publish(new AgentEvent.AgentGone(dev, T0.plusSeconds(1)));
    publish(new AgentEvent.StateChanged(dev, AgentState.UNKNOWN, AgentState.WORKING, List.of(), Optional.empty(),
        T0.plusSeconds(2)));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(Optional.empty(), agent("%5"));
      return null;
    });
    // Events reach it in the order published: once a later report is in, the late event has been handled too.
    CycleReport later = new CycleReport(T0.plusSeconds(5), "event", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    testKit.system().eventStream().tell(new EventStream.Publish<>(later));
    TestProbe<FleetSummary> summary = testKit.createTestProbe();
    summary.awaitAssert(PATIENCE, () -> {
      fleet.tell(new FleetView.GetSummary(summary.getRef()));
      assertEquals(later, summary.receiveMessage(PATIENCE).lastReport());
      return null;
    });
    assertEquals(Optional.empty(), agent("%5"), "still gone after the late event");
    // A listing that shows it again is the truth (the same pane and process).
    fleet.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev), List.of(dev.pane()), T0.plusSeconds(3))));
    assertTrue(agent("%5").isPresent());
  }

  @Test
  void theJsonListingIsWhatTheViewsSerializeTo() throws Exception {
    MovingClock clock = new MovingClock(T0.plusSeconds(60));
    ActorRef<FleetView.Command> view = testKit.spawn(FleetView.create(new Caches(settings), clock));
    AgentPane pm = agent("%11", "json", 0, "pm", Role.PM);
    AgentPane dev = agent("%12", "json", 1, "claude-12", Role.AGENT);
    view.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev, pm), List.of(pm.pane(), dev.pane()), T0)));
    // A screen line may hold anything, the key the kept bytes are split at included.
    List<Evidence> evidence = List.of(new Evidence("working", "esc", 3, "\"timeInStateMs\":null \u00e9 \\ \n"));
    publish(new AgentEvent.StateChanged(dev, AgentState.UNKNOWN, AgentState.WORKING, evidence, Optional.empty(),
        T0.plusSeconds(10)));
    AgentFilter working = new AgentFilter(Optional.of(AgentState.WORKING), Optional.empty(), Optional.empty());
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(1, agents(view, working).size());
      return null;
    });
    for (AgentFilter filter : List.of(AgentFilter.ALL, working)) {
      assertEquals(viewsJson(view, filter), listingJson(view, filter));
    }
    clock.now = T0.plusSeconds(95);
    assertEquals(viewsJson(view, AgentFilter.ALL), listingJson(view, AgentFilter.ALL), "time in state moves on");
    assertEquals(85_000, listingJson(view, working).get(0).path("timeInStateMs").path("working").asLong());
    publish(new AgentEvent.StateChanged(dev, AgentState.WORKING, AgentState.IDLE, List.of(), Optional.empty(),
        T0.plusSeconds(90)));
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(0, agents(view, working).size());
      return null;
    });
    assertEquals(viewsJson(view, AgentFilter.ALL), listingJson(view, AgentFilter.ALL), "a change is serialized again");
    AgentPane movedPm = agent("%11", "json", 5, "pm", Role.PM);
    view.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev, movedPm), List.of(movedPm.pane(), dev.pane()),
        T0.plusSeconds(91))));
    assertEquals(List.of("claude-12", "pm"), listingJson(view, AgentFilter.ALL).findValuesAsText("windowName"),
        "in target order after a move");
    assertEquals(viewsJson(view, AgentFilter.ALL), listingJson(view, AgentFilter.ALL));
  }

  @Test
  void theListingPublishedForOtherThreadsFollowsTheView() throws Exception {
    MovingClock clock = new MovingClock(T0.plusSeconds(60));
    AgentListing listing = new AgentListing();
    Caches caches2 = new Caches(settings);
    ActorRef<FleetView.Command> view = testKit.spawn(FleetView.create(caches2, clock, listing));
    AgentPane pm = agent("%21", "pub", 0, "pm", Role.PM);
    AgentPane dev = agent("%22", "pub", 1, "claude-22", Role.AGENT);
    view.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev, pm), List.of(pm.pane(), dev.pane()), T0)));
    TestProbe<Object> probe = testKit.createTestProbe();
    // Published by the view itself: nothing has asked it for JSON yet.
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(List.of("pm", "claude-22"), published(listing, AgentFilter.ALL, clock).findValuesAsText(
          "windowName"));
      return null;
    });
    publish(new AgentEvent.StateChanged(dev, AgentState.UNKNOWN, AgentState.WORKING, List.of(), Optional.empty(),
        T0.plusSeconds(10)));
    AgentFilter working = new AgentFilter(Optional.of(AgentState.WORKING), Optional.empty(), Optional.empty());
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(List.of("claude-22"), published(listing, working, clock).findValuesAsText("windowName"),
          "an agent's change reaches its slot");
      return null;
    });
    assertEquals(viewsJson(view, AgentFilter.ALL), published(listing, AgentFilter.ALL, clock));

    // A move and a change of the moved agent in one burst: its slot takes the change, the new order follows.
    AgentPane movedPm = movedTo(pm, 7); // the same agent (pane and process) in a window after the other's
    view.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev, movedPm), List.of(dev.pane(), movedPm.pane()),
        T0.plusSeconds(20))));
    publish(new AgentEvent.StateChanged(movedPm, AgentState.UNKNOWN, AgentState.WAITING, List.of(), Optional.empty(),
        T0.plusSeconds(21)));
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(List.of("claude-22", "pm"), published(listing, AgentFilter.ALL, clock).findValuesAsText(
          "windowName"), "in target order after the move");
      assertEquals(List.of("working", "waiting"), published(listing, AgentFilter.ALL, clock).findValuesAsText(
          "state"));
      assertEquals(viewsJson(view, AgentFilter.ALL), published(listing, AgentFilter.ALL, clock));
      return null;
    });

    // An agent that left leaves the listing; the same agent listed again comes back.
    publish(new AgentEvent.AgentGone(movedPm, T0.plusSeconds(30)));
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(List.of("claude-22"), published(listing, AgentFilter.ALL, clock).findValuesAsText(
          "windowName"), "an agent that left leaves the listing");
      return null;
    });
    view.tell(new FleetView.Listed(new Monitor.Listing(List.of(dev, movedPm), List.of(dev.pane(), movedPm.pane()),
        T0.plusSeconds(40))));
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(List.of("claude-22", "pm"), published(listing, AgentFilter.ALL, clock).findValuesAsText(
          "windowName"), "listed again, it is back");
      assertEquals(viewsJson(view, AgentFilter.ALL), published(listing, AgentFilter.ALL, clock));
      return null;
    });

    // A view started again (as after a restart) over the same cache layer publishes what the layer holds.
    testKit.stop(view);
    ActorRef<FleetView.Command> again = testKit.spawn(FleetView.create(caches2, clock, listing));
    awaitSubscribed(again);
    publish(new AgentEvent.StateChanged(dev, AgentState.WORKING, AgentState.IDLE, List.of(), Optional.empty(),
        T0.plusSeconds(50)));
    probe.awaitAssert(PATIENCE, () -> {
      assertEquals(List.of("idle", "unknown"), published(listing, AgentFilter.ALL, clock).findValuesAsText(
          "state"), "the change of an agent the new view found in the layer");
      assertEquals(viewsJson(again, AgentFilter.ALL), published(listing, AgentFilter.ALL, clock));
      return null;
    });
  }

  private static AgentPane movedTo(AgentPane agent, int window) {
    Pane p = agent.pane();
    return new AgentPane(new Pane(p.paneId(), p.sessionId(), p.sessionName(), window, p.windowName(), p.paneIndex(),
        p.pid(), p.currentCommand(), p.dead(), p.deadStatus(), p.windowActivity(), p.roleOption()), agent.role(),
        agent.kind());
  }

  // Read as the HTTP API reads it: on the test's thread, not the view's.
  private static JsonNode published(AgentListing listing, AgentFilter filter, Clock clock) throws Exception {
    return Json.MAPPER.readTree(listing.json(filter, clock.instant()).toArray());
  }

  private static List<AgentStatus> agents(ActorRef<FleetView.Command> view, AgentFilter filter) {
    TestProbe<List<AgentStatus>> probe = testKit.createTestProbe();
    view.tell(new FleetView.GetAgents(filter, probe.getRef()));
    return probe.receiveMessage(PATIENCE);
  }

  // Written and read again, as a client sees it (a tree made from the views would hold longs where it reads ints).
  private static JsonNode viewsJson(ActorRef<FleetView.Command> view, AgentFilter filter) throws Exception {
    return Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(agents(view, filter).stream().map(AgentView::of)
        .toList()));
  }

  private static JsonNode listingJson(ActorRef<FleetView.Command> view, AgentFilter filter) throws Exception {
    TestProbe<ByteString> probe = testKit.createTestProbe();
    view.tell(new FleetView.GetAgentsJson(filter, probe.getRef()));
    return Json.MAPPER.readTree(probe.receiveMessage(PATIENCE).toArray());
  }

  /** A clock the test moves. */
  private static final class MovingClock extends Clock {
    volatile Instant now;

    MovingClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
