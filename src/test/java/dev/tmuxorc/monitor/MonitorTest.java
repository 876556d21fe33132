package dev.tmuxorc.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.detect.Observation;
import dev.tmuxorc.detect.ScreenClassifier;
import dev.tmuxorc.testing.RunningTree;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import dev.tmuxorc.tmux.PoolStats;
import dev.tmuxorc.tmux.TmuxPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LogCapturingExtension.class)
class MonitorTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration PATIENCE = Duration.ofSeconds(15);

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private RunningTree supervisor(ScreenClassifier classifier) {
    return tree(TestSettings.settings(tmux.socket()), classifier, true);
  }

  private RunningTree tree(Settings settings, ScreenClassifier classifier, boolean periodic) {
    return RunningTree.spawn(testKit, settings,
        Guardian.Wiring.of(settings).withClassifier(classifier).withPeriodic(periodic));
  }

  private static List<AgentStatus> agents(RunningTree supervisor) {
    return supervisor.agents();
  }

  private static Set<String> windowNames(RunningTree supervisor) {
    return agents(supervisor).stream().map(s -> s.agent().pane().windowName()).collect(Collectors.toSet());
  }

  private static CycleStats cycles(RunningTree supervisor) {
    return supervisor.cycles();
  }

  private static PoolStats pool(RunningTree supervisor) {
    return supervisor.pool();
  }

  private void awaitWindows(RunningTree supervisor, Set<String> expected) {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(100), () -> {
      assertEquals(expected, windowNames(supervisor));
      return null;
    });
  }

  private void awaitCycles(RunningTree supervisor, long atLeast) {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(100), () -> {
      assertTrue(cycles(supervisor).cycles() >= atLeast);
      return null;
    });
  }

  @Test
  void discoversAgentsAndStopsThoseWhosePaneIsGone() {
    tmux.session("proj", "pm", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    String doomed = tmux.window("proj", "claude-2", TmuxServerFixture.IDLE_COMMAND);
    TestProbe<AgentEvent> events = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, events.getRef()));
    RunningTree supervisor = supervisor(Classifier.fromConfig(
        TestSettings.settings(tmux.socket()).detection()));
    awaitWindows(supervisor, Set.of("pm", "claude-1", "claude-2"));
    tmux.tmux("kill-pane", "-t", doomed);
    awaitWindows(supervisor, Set.of("pm", "claude-1"));
    events.fishForMessage(PATIENCE, e -> e instanceof AgentEvent.AgentGone gone
        && gone.agent().paneId().value().equals(doomed)
        ? FishingOutcomes.complete()
        : FishingOutcomes.continueAndIgnore());
    supervisor.stop();
  }

  @Test
  void hiddenSessionsOfTmuxOrcProcessesThatAreGoneAreRemoved() {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    String orphan = "_tmux-orc-" + Integer.MAX_VALUE; // no such pid
    tmux.tmux("new-session", "-d", "-s", orphan, TmuxServerFixture.IDLE_COMMAND);
    RunningTree supervisor = supervisor(neutral());
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(100), () -> {
      assertTrue(!tmux.sessions().contains(orphan), tmux.sessions().toString());
      return null;
    });
    assertTrue(tmux.sessions().contains("proj"));
    assertTrue(tmux.sessions().contains("_tmux-orc-" + ProcessHandle.current().pid()), "ours stays while we run");
    supervisor.stop();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(100), () -> {
      assertEquals(List.of("proj"), tmux.sessions(), "ours is removed when the supervisor stops");
      return null;
    });
  }

  @Test
  void aKilledControlClientIsReplacedAndTheNextCyclesSucceed() {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("proj", "claude-2", TmuxServerFixture.IDLE_COMMAND);
    RunningTree supervisor = supervisor(neutral());
    awaitWindows(supervisor, Set.of("claude-1", "claude-2"));
    long before = cycles(supervisor).cycles();
    List<ProcessHandle> clients = ProcessHandle.current().children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(tmux.socket())).orElse(false)).toList();
    assertTrue(!clients.isEmpty(), "the pool runs a tmux -C client");
    clients.forEach(ProcessHandle::destroyForcibly);
    awaitCycles(supervisor, before + 5);
    assertTrue(pool(supervisor).replaced() >= 1);
    assertEquals(Set.of("claude-1", "claude-2"), windowNames(supervisor));
    supervisor.stop();
  }

  @Test
  void survivesTheServerDyingAndFindsTheNewPanesWhenItReturns() {
    tmux.session("old", "claude-old", TmuxServerFixture.IDLE_COMMAND);
    RunningTree supervisor = supervisor(neutral());
    awaitWindows(supervisor, Set.of("claude-old"));
    tmux.killServer();
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(100), () -> {
      assertTrue(!pool(supervisor).available());
      return null;
    });
    tmux.session("new", "claude-new", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("new", "developer", TmuxServerFixture.IDLE_COMMAND);
    awaitWindows(supervisor, Set.of("claude-new", "developer"));
    supervisor.stop();
  }

  @Test
  void aFailingAgentIsRestartedWithBackoffWhileTheOthersKeepTheirState() throws Exception {
    Path boom = TmuxServerFixture.textFile(dir, "boom.txt", "BOOM\n");
    Path done = TmuxServerFixture.textFile(dir, "done.txt", "all done\n");
    tmux.session("proj", "claude-ok", TmuxServerFixture.showFile(done));
    tmux.window("proj", "claude-bad", TmuxServerFixture.showFile(boom));
    ScreenClassifier classifier = (screen, facts, now) -> {
      if (screen.contains("BOOM")) {
        throw new IllegalStateException("classifier exploded on purpose");
      }
      return Observation.of(screen.contains("all done") ? AgentState.IDLE : AgentState.UNKNOWN);
    };
    // Supervision logs each failure; back-off restarts come after 0.2 s, 0.4 s, 0.8 s (+20% jitter).
    RunningTree supervisor = LoggingTestKit.error(IllegalStateException.class)
        .withMessageContains("exploded on purpose")
        .withOccurrences(3)
        .expect(testKit.system(), () -> supervisor(classifier));
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(100), () -> {
      assertEquals(AgentState.IDLE, state(supervisor, "claude-ok"));
      return null;
    });
    Instant idleSince = status(supervisor, "claude-ok").since();
    LoggingTestKit.error(IllegalStateException.class).withMessageContains("exploded on purpose")
        .expect(testKit.system(), () -> null);
    assertEquals(AgentState.IDLE, state(supervisor, "claude-ok"));
    assertEquals(idleSince, status(supervisor, "claude-ok").since(), "the healthy agent kept its state");
    AgentStatus bad = status(supervisor, "claude-bad");
    assertEquals(AgentState.UNKNOWN, bad.state(), "a restarting agent is still listed");
    supervisor.stop();
  }

  private AgentStatus status(RunningTree supervisor, String window) {
    return agents(supervisor).stream().filter(s -> s.agent().pane().windowName().equals(window)).findFirst()
        .orElseThrow();
  }

  private AgentState state(RunningTree supervisor, String window) {
    return status(supervisor, window).state();
  }

  @Test
  void aCycleIsOneRoundTripAndAgentsNewToItAreCapturedBeforeItEnds() throws Exception {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("proj", "claude-2", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("proj", "claude-3", TmuxServerFixture.IDLE_COMMAND);
    AtomicInteger classifications = new AtomicInteger();
    ScreenClassifier classifier = (screen, facts, now) -> {
      classifications.incrementAndGet();
      return Observation.of(AgentState.UNKNOWN);
    };
    Settings settings = TestSettings.settings(tmux.socket());
    RunningTree supervisor = tree(settings, classifier, false);
    // First cycle: list-panes finds three new agents, which are captured in a follow-up batch of the same cycle.
    measure(supervisor);
    assertEquals(3, classifications.get(), "every agent was classified before the cycle ended");
    long acquisitions = pool(supervisor).acquisitions();
    // Later cycles: list-panes and the known agents' captures go in one batch, one round trip. The screens
    // did not change, so the agents do not classify them again.
    measure(supervisor);
    assertEquals(3, classifications.get(), "an unchanged screen keeps its verdict");
    assertEquals(acquisitions + 1, pool(supervisor).acquisitions(), "one batch for the whole cycle");
    supervisor.stop();
  }

  @Test
  void aQuietPaneKeepsItsScreenAndAPaneThatPrintedSinceIsCapturedAgain() throws Exception {
    tmux.session("proj", "claude-1", "printf 'first\\n'; read line; printf 'second\\n'; exec sleep 100000");
    String pane = tmux.paneId("proj:claude-1");
    AtomicInteger sawSecond = new AtomicInteger();
    ScreenClassifier classifier = (screen, facts, now) -> {
      if (screen.contains("second")) {
        sawSecond.incrementAndGet();
      }
      return Observation.of(AgentState.UNKNOWN);
    };
    Settings settings = TestSettings.settings(tmux.socket());
    RunningTree supervisor = tree(settings, classifier, false);
    // window_activity counts whole seconds: a capture proves the screen only once that second is over.
    awaitQuietSecond(pane, "first", Duration.ZERO);
    measure(supervisor);
    assertEquals(1, cycles(supervisor).captures());
    // Quiet for a while: the next cycle leaves the pane out of its batch, and its listing proves it unchanged.
    awaitQuietSecond(pane, "first", ScreenCache.RECENTLY_ACTIVE);
    long acquisitions = pool(supervisor).acquisitions();
    measure(supervisor);
    assertEquals(1, cycles(supervisor).reusedScreens(), "the quiet pane's last screen was handed over again");
    assertEquals(1, cycles(supervisor).captures(), "no capture");
    assertEquals(acquisitions + 1, pool(supervisor).acquisitions(), "list-panes alone, one batch");
    // The pane prints: its window's activity moves, and the next cycle captures it after its listing.
    tmux.tmux("send-keys", "-t", pane, "go", "Enter");
    awaitQuietSecond(pane, "second", Duration.ZERO);
    acquisitions = pool(supervisor).acquisitions();
    measure(supervisor);
    assertEquals(1, cycles(supervisor).reusedScreens(), "not reused: the window had activity");
    assertEquals(2, cycles(supervisor).captures());
    assertEquals(acquisitions + 2, pool(supervisor).acquisitions(), "list-panes, then the follow-up capture");
    assertEquals(1, sawSecond.get(), "the new screen reached the agent within the cycle");
    supervisor.stop();
  }

  @Test
  void withScreenReuseOffEveryCycleCapturesEveryScreen() throws Exception {
    tmux.session("proj", "claude-1", "printf 'first\\n'; exec sleep 100000");
    String pane = tmux.paneId("proj:claude-1");
    Settings settings = TestSettings.settings(tmux.socket(), Map.of("tmux-orc.monitoring.screen-reuse.enabled", false));
    RunningTree supervisor = tree(settings, neutral(), false);
    awaitQuietSecond(pane, "first", Duration.ZERO);
    measure(supervisor);
    awaitQuietSecond(pane, "first", ScreenCache.RECENTLY_ACTIVE);
    measure(supervisor);
    assertEquals(0, cycles(supervisor).reusedScreens());
    assertEquals(2, cycles(supervisor).captures(), "both cycles captured the screen");
    supervisor.stop();
  }

  /**
   * Waits until the pane shows {@code text} and the wall clock is past the end of its window's activity second
   * plus {@code quietFor}: a capture sent then is proof of the screen (and the window counts as quiet).
   */
  private void awaitQuietSecond(String pane, String text, Duration quietFor) {
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(50), () -> {
      assertTrue(tmux.capture(pane).contains(text));
      long activity = Long.parseLong(tmux.tmux("display-message", "-p", "-t", pane, "#{window_activity}").trim());
      Instant quietFrom = Instant.ofEpochSecond(activity + 1).plus(quietFor);
      assertTrue(!Instant.now().isBefore(quietFrom.plusMillis(20)), "not yet quiet long enough");
      return null;
    });
  }

  private void measure(RunningTree supervisor) {
    supervisor.measure();
  }

  @Test
  void theScreenAskedForIsTheOneTheAgentsStateWasDecidedOnEvenFromItsOwnConfirmationCapture() throws Exception {
    // The sweep (polling, once at start: the next is a minute away) captures screen A: idle, to be confirmed. The
    // pane turns to screen B before the agent's confirmation capture, which sees it: waiting. Only the sweep's
    // capture went through the pane_content layer; what the monitor answers for the pane's screen must be B, the
    // screen the agent's state was decided on (the PM reports' cooldown digests it, /api/agents/ID/screen shows it).
    java.nio.file.Path go = dir.resolve("go");
    java.nio.file.Path a = TmuxServerFixture.textFile(dir, "a.txt", "screen A");
    java.nio.file.Path b = TmuxServerFixture.textFile(dir, "b.txt", "screen B");
    String pane = tmux.session("proj", "claude-1", "cat '" + a + "'; while [ ! -e '" + go + "' ]; do sleep 0.05; "
        + "done; clear; cat '" + b + "'; exec sleep 100000").paneId("proj:claude-1");
    java.util.concurrent.CopyOnWriteArrayList<String> classified = new java.util.concurrent.CopyOnWriteArrayList<>();
    ScreenClassifier classifier = (screen, facts, now) -> {
      classified.add(screen);
      return Observation.of(screen.contains("screen B") ? AgentState.WAITING : AgentState.IDLE);
    };
    TestProbe<AgentEvent> events = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, events.getRef()));
    RunningTree supervisor = tree(TestSettings.settings(tmux.socket(), Map.of(
        "tmux-orc.monitoring.strategy", "polling",
        "tmux-orc.monitoring.poll-interval", "60s",
        "tmux-orc.monitoring.confirm-delay", "3s",
        "tmux-orc.monitoring.idle-debounce", "30s")), classifier, true);
    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(PATIENCE, Duration.ofMillis(50), () -> {
      assertTrue(classified.stream().anyMatch(t -> t.contains("screen A")), classified.toString());
      return null;
    });
    java.nio.file.Files.createFile(go);
    probe.awaitAssert(PATIENCE, Duration.ofMillis(50), () -> {
      assertTrue(tmux.capture(pane).contains("screen B"));
      return null;
    });
    events.fishForMessage(PATIENCE, e -> e instanceof AgentEvent.StateChanged changed
        && changed.to() == AgentState.WAITING ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    TestProbe<java.util.Optional<String>> screen = testKit.createTestProbe();
    supervisor.parts().monitor().tell(new Monitor.GetScreen(new dev.tmuxorc.discovery.PaneId(pane), screen.getRef()));
    String text = screen.receiveMessage(PATIENCE).orElse("");
    assertTrue(text.contains("screen B"), "the screen the agent is waiting on: " + text);
    supervisor.stop();
  }

  private static ScreenClassifier neutral() {
    return (screen, facts, now) -> Observation.of(AgentState.UNKNOWN);
  }
}
