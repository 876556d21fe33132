package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.testing.FakePrompt;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * PM reports on a real tmux server: the PM is a pane running a Claude-like prompt that records every text
 * submitted to it (src/test/resources/agents/fake-prompt.py); the agents are events. Each scenario counts what the
 * PM received: exactly the expected report, once.
 */
class NotifierTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  @TempDir
  Path dir;
  private Settings settings;
  private PaneTyper typer;
  private PaneTyper.Tmux tmuxRun;
  private final Map<PaneId, String> screens = new ConcurrentHashMap<>();
  /** The agents the fleet view knows (those whose events came before the notifier listened). */
  private final List<AgentStatus> fleet = new java.util.concurrent.CopyOnWriteArrayList<>();
  private TestProbe<Journal.Command> journal;
  private final ActionGate gate = new ActionGate(Clock.systemUTC());
  private Path log;
  private ActorRef<Notifier.Command> notifier;

  @BeforeEach
  void start() {
    tmux.session("work", "boot", TmuxServerFixture.IDLE_COMMAND);
    settings = TestSettings.settings(tmux.socket());
    tmuxRun = ActionTesting.tmux(testKit, settings);
    typer = ActionTesting.typer(tmuxRun, settings);
    journal = testKit.createTestProbe();
    log = dir.resolve("pm.jsonl");
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      testKit.stop(notifier);
    }
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ActionSettings actions(String hocon) {
    return ActionSettings.from(ConfigFactory.parseString("tmux-orc.actions { pm-reports { enabled = true, "
        + "interval = 300ms, grace = 1s }\n" + hocon + " }").withFallback(ConfigFactory.load()).resolve());
  }

  private ActorRef<Notifier.Command> notifier(ActionSettings actions) throws Exception {
    return notifier(actions, Optional.empty());
  }

  private ActorRef<Notifier.Command> notifier(ActionSettings actions, Optional<ActorRef<People.Command>> people)
      throws Exception {
    OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"));
    Notifier.Parts parts = new Notifier.Parts(actions, outbox, typer, tmuxRun, gate,
        pane -> CompletableFuture.completedFuture(Optional.ofNullable(screens.get(pane))),
        () -> CompletableFuture.completedFuture(List.copyOf(fleet)),
        Optional.of(journal.getRef()), people, ActionObserver.NONE, Clock.systemUTC());
    notifier = testKit.spawn(Notifier.create(parts));
    return notifier;
  }

  private FakePrompt prompt;

  private AgentPane pm() throws Exception {
    prompt = FakePrompt.open(tmux, "work", "pm", log);
    return agent(prompt.pane().value(), 1, "pm", Role.PM);
  }

  private static AgentPane agent(String pane, int window, String name, Role role) {
    return agent(pane, window, name, role, 1000 + window);
  }

  private static AgentPane agent(String pane, int window, String name, Role role, int pid) {
    return new AgentPane(new Pane(new PaneId(pane), "$0", "work", window, name, 0, pid, "claude", false,
        OptionalInt.empty(), Instant.EPOCH, ""), role, AgentKind.CLAUDE);
  }

  private void publish(AgentEvent event) {
    testKit.system().eventStream().tell(new EventStream.Publish<>(event));
  }

  private void state(AgentPane agent, AgentState from, AgentState to) {
    publish(new AgentEvent.StateChanged(agent, from, to, List.of(new Evidence(to.wireName(), "m", 1,
        to + " on screen")), Optional.empty(), Instant.now()));
  }

  /** Lets the notifier subscribe before the first event: it subscribes in its constructor. */
  private void settle() throws InterruptedException {
    Thread.sleep(300);
  }

  private List<String> received() {
    return prompt.submitted();
  }

  private void awaitReceived(int count) throws Exception {
    assertEquals(count, prompt.awaitSubmitted(count, PATIENCE).size(), received().toString());
  }

  /** The next journalled action with this outcome (others are skipped). */
  private Map<String, Object> action(String outcome) {
    return ActionTesting.action(journal, outcome, PATIENCE);
  }

  @Test
  void aWaitingAgentIsReportedToTheIdlePmOnce() throws Exception {
    notifier(actions(""));
    settle();
    AgentPane pm = pm();
    AgentPane dev = agent("%90", 2, "claude-1", Role.AGENT);
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    state(dev, AgentState.WORKING, AgentState.WAITING);
    awaitReceived(1);
    String report = received().get(0);
    assertTrue(report.startsWith("[tmux-orc report #"), report);
    assertTrue(report.contains("claude-1 (work:2.0, %90): waiting for a decision"), report);
    assertEquals("delivered", action("delivered").get("outcome"));
    Thread.sleep(1000);
    assertEquals(1, received().size(), "nothing more to say");
  }

  @Test
  void aReportWaitsWhileThePmWorksAndArrivesAtItsTurnBoundary() throws Exception {
    notifier(actions(""));
    settle();
    AgentPane pm = pm();
    state(pm, AgentState.IDLE, AgentState.WORKING);
    state(agent("%91", 2, "claude-2", Role.AGENT), AgentState.WORKING, AgentState.CRASHED);
    Map<String, Object> deferred = action("deferred");
    assertTrue(String.valueOf(deferred.get("why")).contains("working"), deferred.toString());
    assertEquals(List.of(), received());
    state(pm, AgentState.WORKING, AgentState.IDLE);
    awaitReceived(1);
    assertTrue(received().get(0).contains("claude-2 (work:2.0, %91): crashed"), received().get(0));
  }

  @Test
  void aPmWhosePromptHoldsTextIsNeverTypedIntoAndGetsTheReportOnceItIsEmpty() throws Exception {
    notifier(actions(""));
    settle();
    AgentPane pm = pm();
    tmux.tmux("send-keys", "-t", pm.paneId().value(), "-l", "--", "a human types");
    Thread.sleep(300);
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    state(agent("%92", 2, "claude-3", Role.AGENT), AgentState.WORKING, AgentState.ERROR);
    Map<String, Object> held = action("deferred");
    assertTrue(String.valueOf(held.get("why")).contains("a human types"), held.toString());
    assertTrue(tmux.capture(pm.paneId().value()).contains("a human types"), "left as it was");
    tmux.tmux("send-keys", "-t", pm.paneId().value(), "Enter"); // the human sends it
    awaitReceived(2);
    assertEquals("a human types", received().get(0));
    assertTrue(received().get(1).contains("claude-3"), received().toString());
  }

  @Test
  void theSameNeedOnTheSameScreenWithinItsCooldownIsSuppressedAndAChangedScreenIsNew() throws Exception {
    notifier(actions(""));
    settle();
    AgentPane pm = pm();
    AgentPane dev = agent("%93", 2, "claude-4", Role.AGENT);
    screens.put(dev.paneId(), "the same dialog");
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    state(dev, AgentState.WORKING, AgentState.WAITING);
    awaitReceived(1);
    state(dev, AgentState.WAITING, AgentState.WORKING);
    state(dev, AgentState.WORKING, AgentState.WAITING);
    assertEquals("suppressed", action("suppressed").get("outcome"));
    screens.put(dev.paneId(), "another dialog");
    state(dev, AgentState.WAITING, AgentState.WORKING);
    state(dev, AgentState.WORKING, AgentState.WAITING);
    awaitReceived(2);
  }

  @Test
  void agentsWhoseEventsCameBeforeItListenedAreKnownFromTheFleetThePmAmongThem() throws Exception {
    // The monitor published the PM's and the agent's discovery before the notifier subscribed: no event will
    // tell it of them again while they stay as they are.
    AgentPane pm = pm();
    AgentPane dev = agent("%60", 2, "claude-s", Role.AGENT);
    fleet.add(status(pm, AgentState.IDLE));
    fleet.add(status(dev, AgentState.WAITING));
    notifier(actions(""));
    awaitReceived(1);
    assertTrue(received().get(0).contains("claude-s (work:2.0, %60): waiting for a decision: waiting on screen"),
        received().get(0));
    assertEquals("delivered", action("delivered").get("outcome"), "to the PM, not 'no PM in the session'");
  }

  private static AgentStatus status(AgentPane agent, AgentState state) {
    return new AgentStatus(agent, state, AgentState.UNKNOWN, Health.HEALTHY, Instant.now(), Instant.now(),
        List.of(new Evidence(state.wireName(), "m", 1, state.wireName() + " on screen")), Optional.empty(), Map.of(),
        Optional.empty());
  }

  @Test
  void aPaneRespawnedWithANewProcessIsNotGoneButAClosedPaneIs() throws Exception {
    notifier(actions(""));
    settle();
    AgentPane pm = pm();
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    AgentPane crashed = agent("%70", 2, "claude-r", Role.AGENT, 2002);
    AgentPane restarted = agent("%70", 2, "claude-r", Role.AGENT, 3003);
    AgentPane closed = agent("%71", 3, "claude-c", Role.AGENT);
    publish(new AgentEvent.AgentDiscovered(crashed, Instant.now()));
    publish(new AgentEvent.AgentDiscovered(closed, Instant.now()));
    // what the monitor publishes when a pane is respawned: the new process discovered, then the old one gone
    publish(new AgentEvent.AgentDiscovered(restarted, Instant.now()));
    publish(new AgentEvent.AgentGone(crashed, Instant.now()));
    publish(new AgentEvent.AgentGone(closed, Instant.now()));
    awaitReceived(1);
    assertTrue(received().get(0).contains("claude-c (work:3.0, %71): gone: its pane closed"), received().get(0));
    assertTrue(!received().get(0).contains("claude-r"), "the respawned pane did not close: " + received());
  }

  @Test
  void aPmNeverHearsAboutItselfAndAFreshIdleAgentOnlyAfterItsGrace() throws Exception {
    notifier(actions(""));
    settle();
    AgentPane pm = pm();
    state(pm, AgentState.WORKING, AgentState.CRASHED);
    state(pm, AgentState.CRASHED, AgentState.IDLE);
    AgentPane fresh = agent("%94", 2, "claude-5", Role.AGENT);
    publish(new AgentEvent.AgentDiscovered(fresh, Instant.now()));
    state(fresh, AgentState.UNKNOWN, AgentState.IDLE);
    Thread.sleep(600);
    assertEquals(List.of(), received(), "within its grace");
    awaitReceived(1);
    assertTrue(received().get(0).contains("claude-5 (work:2.0, %94): idle, no work"), received().get(0));
    assertTrue(!received().get(0).contains("pm ("), "nothing about the PM");
  }

  @Test
  void aNeedThePmDidNotActOnIsEscalatedToPeopleOnce() throws Exception {
    TestProbe<People.Command> people = testKit.createTestProbe();
    notifier(actions("people.escalate-after = 1s"), Optional.of(people.getRef()));
    settle();
    AgentPane pm = pm();
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    state(agent("%89", 2, "claude-0", Role.AGENT), AgentState.WORKING, AgentState.WAITING);
    awaitReceived(1);
    People.Notify escalation = (People.Notify) people.receiveMessage(PATIENCE);
    assertEquals("escalation", escalation.event());
    assertTrue(escalation.text().contains("claude-0 (work:2.0, %89): waiting for a decision"), escalation.text());
    people.expectNoMessage(Duration.ofSeconds(1));
  }

  @Test
  void aReportThePmAcknowledgedIsNotEscalated() throws Exception {
    TestProbe<People.Command> people = testKit.createTestProbe();
    notifier(actions("people.escalate-after = 3s"), Optional.of(people.getRef()));
    settle();
    AgentPane pm = pm();
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    state(agent("%86", 2, "claude-9", Role.AGENT), AgentState.WORKING, AgentState.WAITING);
    awaitReceived(1);
    assertEquals("delivered", action("delivered").get("outcome")); // its escalation is now waiting
    java.util.regex.Matcher number = java.util.regex.Pattern.compile("#([0-9]+)").matcher(received().get(0));
    assertTrue(number.find(), received().get(0));
    long report = Long.parseLong(number.group(1));

    TestProbe<Notifier.Acknowledged> reply = testKit.createTestProbe();
    notifier.tell(new Notifier.Acknowledge(report, reply.getRef()));
    Notifier.Acknowledged ack = reply.receiveMessage(PATIENCE);
    assertEquals(Optional.of("delivered"), ack.reportState(), ack.toString());
    assertEquals(1, ack.escalationsStopped(), ack.toString());
    assertEquals("acknowledged", action("acknowledged").get("outcome"));
    notifier.tell(new Notifier.Acknowledge(report + 100, reply.getRef()));
    assertEquals(Optional.empty(), reply.receiveMessage(PATIENCE).reportState(), "no such report");
    people.expectNoMessage(Duration.ofSeconds(4));
  }

  @Test
  void aWholeTeamIdleIsEscalatedTwiceThenNoMore() throws Exception {
    notifier(actions("pm-reports { team-idle-after = 1s, grace = 1h }"));
    settle();
    AgentPane pm = pm();
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    state(agent("%87", 2, "claude-x", Role.AGENT), AgentState.WORKING, AgentState.IDLE);
    state(agent("%88", 3, "claude-y", Role.AGENT), AgentState.WORKING, AgentState.IDLE);
    List<String> reports = prompt.awaitSubmitted(2, PATIENCE);
    assertEquals(2, reports.size(), reports.toString());
    assertTrue(reports.get(0).contains("the whole team (2 agent(s)) has been idle"), reports.get(0));
    assertTrue(reports.get(1).contains("(second notice)"), reports.get(1));
    Thread.sleep(2500);
    assertEquals(2, received().size(), "two notices, no more");
  }

  @Test
  void agentsOfOneAccountBackFromTheirRateLimitAreReportedInOneLine() throws Exception {
    notifier(actions("rate-limit.accounts { team = [\"claude-a*\"] }"));
    settle();
    AgentPane pm = pm();
    AgentPane a1 = agent("%60", 2, "claude-a1", Role.AGENT);
    AgentPane a2 = agent("%61", 3, "claude-a2", Role.AGENT);
    state(a1, AgentState.WORKING, AgentState.RATE_LIMITED);
    state(a2, AgentState.WORKING, AgentState.RATE_LIMITED);
    state(a1, AgentState.RATE_LIMITED, AgentState.WORKING);
    state(a2, AgentState.RATE_LIMITED, AgentState.WORKING);
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    awaitReceived(1);
    String report = received().get(0);
    assertTrue(report.contains("account team: back from its rate limit: claude-a1, claude-a2"), report);
    assertEquals(2, report.lines().count(), "one line for the account: " + report);
  }

  @Test
  void withoutAPmTheReportGoesToTheJournalOnly() throws Exception {
    notifier(actions(""));
    settle();
    state(agent("%95", 2, "claude-6", Role.AGENT), AgentState.WORKING, AgentState.CRASHED);
    Map<String, Object> reported = action("reported");
    assertTrue(String.valueOf(reported.get("text")).contains("claude-6"), reported.toString());
  }

  @Test
  void dryRunAndPauseTypeNothing() throws Exception {
    notifier(actions("dry-run = true"));
    settle();
    AgentPane pm = pm();
    state(pm, AgentState.UNKNOWN, AgentState.IDLE);
    state(agent("%96", 2, "claude-7", Role.AGENT), AgentState.WORKING, AgentState.CRASHED);
    Map<String, Object> dry = action("dry-run");
    assertTrue(String.valueOf(dry.get("text")).contains("claude-7"), dry.toString());
    gate.pauseUntil(Instant.now().plusSeconds(60));
    state(agent("%97", 3, "claude-8", Role.AGENT), AgentState.WORKING, AgentState.CRASHED);
    Thread.sleep(1000);
    assertEquals(List.of(), received());
    gate.resume();
  }

  @Test
  void aReportCutOffInThePmsPromptIsSubmittedOnceAfterARestart() throws Exception {
    AgentPane pm = pm();
    OutboxStore.Report cut;
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      outbox.add("work", "%98", "crashed", "d", "claude-9 (work:2.0, %98): crashed", Instant.now());
      cut = outbox.begin("work", pm.paneId().value(), outbox.pending("work"),
          id -> ReportText.compose(id, "work", List.of(new OutboxStore.Entry(0, "work", "%98", "crashed", "d",
              "claude-9 (work:2.0, %98): crashed", 1, Instant.now(), Instant.now()))), Instant.now());
    }
    // killed after typing, before Enter
    tmux.tmux("send-keys", "-t", pm.paneId().value(), "-l", "--", cut.text().lines().findFirst().orElseThrow());
    Thread.sleep(300);
    notifier(actions(""));
    settle();
    state(pm, AgentState.UNSUBMITTED, AgentState.IDLE);
    awaitReceived(1);
    assertTrue(received().get(0).startsWith(ReportText.marker(cut.id())), received().get(0));
    Thread.sleep(1500);
    assertEquals(1, received().size(), "not sent a second time");
  }

  @Test
  void whilePausedACutOffReportWaitsInThePromptAndAHumansTextThereIsNeverSubmitted() throws Exception {
    AgentPane pm = pm();
    OutboxStore.Report cut;
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      outbox.add("work", "%70", "crashed", "d", "claude-z (work:2.0, %70): crashed", Instant.now());
      cut = outbox.begin("work", pm.paneId().value(), outbox.pending("work"),
          id -> ReportText.marker(id) + " session work: 1 agent(s) need you", Instant.now());
    }
    tmux.tmux("send-keys", "-t", pm.paneId().value(), "-l", "--", cut.text());
    gate.pauseUntil(Instant.now().plusSeconds(60));
    notifier(actions(""));
    settle();
    state(pm, AgentState.UNSUBMITTED, AgentState.IDLE);
    Thread.sleep(1500);
    assertEquals(List.of(), received(), "paused: no Enter");
    gate.resume();
    awaitReceived(1);
    assertEquals(cut.text(), received().get(0));

    tmux.tmux("send-keys", "-t", pm.paneId().value(), "-l", "--", "[Pasted text #1 +3 lines]");
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      outbox.add("work", "%71", "crashed", "d2", "claude-w (work:3.0, %71): crashed", Instant.now());
      outbox.begin("work", pm.paneId().value(), outbox.pending("work"), id -> ReportText.marker(id) + " x",
          Instant.now());
    }
    Thread.sleep(2000);
    assertEquals(1, received().size(), "someone's paste is not ours to send");
    assertTrue(tmux.capture(pm.paneId().value()).contains("[Pasted text #1 +3 lines]"), "left as it was");
  }

  @Test
  void aReportCutOffAfterItArrivedIsNotSentAgainAndOneThatNeverArrivedIs() throws Exception {
    AgentPane pm = pm();
    OutboxStore.Report arrived;
    OutboxStore.Report lost;
    try (OutboxStore outbox = OutboxStore.open(dir.resolve("journal.db"))) {
      outbox.add("work", "%80", "crashed", "d1", "claude-a (work:2.0, %80): crashed", Instant.now());
      arrived = outbox.begin("work", pm.paneId().value(), outbox.pending("work"), id -> ReportText.marker(id)
          + " session work: 1 agent(s) need you", Instant.now());
      outbox.add("other", "%81", "crashed", "d2", "claude-b (other:2.0, %81): crashed", Instant.now());
      lost = outbox.begin("other", pm.paneId().value(), outbox.pending("other"), id -> ReportText.marker(id)
          + " session other: 1 agent(s) need you", Instant.now());
    }
    // the first reached the PM before the kill
    tmux.tmux("send-keys", "-t", pm.paneId().value(), "-l", "--", arrived.text());
    tmux.tmux("send-keys", "-t", pm.paneId().value(), "Enter");
    awaitReceived(1);
    notifier(actions(""));
    settle();
    state(pm, AgentState.UNKNOWN, AgentState.IDLE); // discovered again after the restart
    Map<String, Map<String, Object>> found = new java.util.HashMap<>();
    journal.fishForMessage(PATIENCE, message -> {
      if (message instanceof Journal.Record r) {
        found.putIfAbsent(String.valueOf(r.json().get("outcome")), r.json());
      }
      return found.containsKey("delivered") && found.containsKey("returned") && found.containsKey("reported")
          ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
          : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore();
    });
    assertEquals(arrived.id(), ((Number) found.get("delivered").get("report")).longValue());
    assertEquals(lost.id(), ((Number) found.get("returned").get("report")).longValue());
    // sent again: 'other' has no PM, so to the journal
    assertTrue(String.valueOf(found.get("reported").get("text")).contains("claude-b"), found.toString());
    assertEquals(1, received().size(), "the one that had arrived was not typed again");
  }
}
