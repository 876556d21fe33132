package dev.tmuxorc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.monitor.Sweep;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import dev.tmuxorc.tmux.TmuxPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Agent actor applies the state machine's rules in time: working at once, idle and on-screen crashes only
 * after its own confirmation capture, a dead pane at once. Confirmation captures read a real pane.
 */
@ExtendWith(LogCapturingExtension.class)
class AgentTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Path SCREENS = Path.of("src", "test", "resources", "screens").toAbsolutePath();

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  private Settings settings;
  private Sweep sweep;
  private TestProbe<AgentEvent.StateChanged> events;

  @BeforeEach
  void start() {
    tmux.session("s", "main", TmuxServerFixture.IDLE_COMMAND);
    settings = TestSettings.settings(tmux.socket());
    ActorRef<TmuxPool.Command> pool = testKit.spawn(TmuxPool.create(settings.tmux(), settings.monitoring().pool(), TmuxPool.factoryFor(settings.tmux())));
    sweep = new Sweep(pool, testKit.system(), Materializer.matFromSystem(testKit.system()), 16, 1, Duration.ofSeconds(10), Clock.systemUTC());
    events = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.StateChanged.class, events.getRef()));
  }

  @AfterEach
  void stop() {
    testKit.system().eventStream().tell(new EventStream.Unsubscribe<>(events.getRef()));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A pane showing the fixture screen, and an Agent watching it. */
  private ActorRef<Agent.Command> agentOn(String fixture, AgentPane[] out) {
    String paneId = tmux.window("s", "claude-1", TmuxServerFixture.showFile(SCREENS.resolve(fixture)));
    AgentPane agent = new AgentPane(pane(new PaneId(paneId), false), Role.AGENT, AgentKind.CLAUDE);
    out[0] = agent;
    return testKit.spawn(Agent.create(agent, Classifier.fromConfig(settings.detection()),
        AgentStateMachine.Rules.of(settings.monitoring()), HookRules.of(settings.hooks()),
        a -> sweep.collect(List.of(a)), Clock.systemUTC()));
  }

  private static Pane pane(PaneId paneId, boolean dead) {
    return new Pane(paneId, "$0", "s", 1, "claude-1", 0, 1, "claude", dead,
        dead ? OptionalInt.of(1) : OptionalInt.empty(), Instant.EPOCH, "");
  }

  private Capture screenOf(AgentPane agent) throws Exception {
    Thread.sleep(200); // let cat draw the screen
    return sweep.collect(List.of(agent)).toCompletableFuture().get(10, TimeUnit.SECONDS)
        .get(0);
  }

  @Test
  void workingIsPublishedAtOnce() throws Exception {
    AgentPane[] agent = new AgentPane[1];
    ActorRef<Agent.Command> actor = agentOn("working--spinner-box-esc-to-interrupt.txt", agent);
    actor.tell(new Agent.Observe(screenOf(agent[0])));
    AgentEvent.StateChanged changed = events.receiveMessage(Duration.ofMillis(500));
    assertEquals(AgentState.WORKING, changed.to());
    testKit.stop(actor);
  }

  @Test
  void anUnchangedScreenSeenAgainIsKeptAsItsNewestCopy() throws Exception {
    // The monitor's screen cache keeps the newest capture: holding an older, equal copy would double the memory.
    AgentPane[] agent = new AgentPane[1];
    ActorRef<Agent.Command> actor = agentOn("working--spinner-box-esc-to-interrupt.txt", agent);
    Capture.Screen first = (Capture.Screen) screenOf(agent[0]);
    Capture.Screen again = new Capture.Screen(agent[0], new String(first.text()), first.at().plusSeconds(1));
    actor.tell(new Agent.Observe(first));
    actor.tell(new Agent.Observe(again));
    TestProbe<Optional<String>> screen = testKit.createTestProbe();
    actor.tell(new Agent.GetScreen(screen.getRef(), Optional.empty()));
    assertSame(again.text(), screen.receiveMessage(Duration.ofSeconds(3)).orElseThrow());
    testKit.stop(actor);
  }

  @Test
  void idleIsPublishedOnlyAfterTheConfirmationCapture() throws Exception {
    AgentPane[] agent = new AgentPane[1];
    ActorRef<Agent.Command> actor = agentOn("idle--box-empty-prompt.txt", agent);
    actor.tell(new Agent.Observe(screenOf(agent[0])));
    events.expectNoMessage(Duration.ofMillis(300)); // the confirmation capture comes after confirm-delay (500 ms)
    AgentEvent.StateChanged changed = events.receiveMessage(Duration.ofSeconds(3));
    assertEquals(AgentState.IDLE, changed.to());
    testKit.stop(actor);
  }

  @Test
  void aCrashSeenOnScreenIsPublishedOnlyOnceASecondCaptureConfirmsIt() throws Exception {
    AgentPane[] agent = new AgentPane[1];
    ActorRef<Agent.Command> actor = agentOn("crashed--shell-prompt-after-exit.txt", agent);
    actor.tell(new Agent.Observe(screenOf(agent[0])));
    events.expectNoMessage(Duration.ofMillis(300)); // the confirmation capture comes after confirm-delay (500 ms)
    AgentEvent.StateChanged changed = events.receiveMessage(Duration.ofSeconds(3));
    assertEquals(AgentState.CRASHED, changed.to());
    assertEquals("shell-prompt", changed.evidence().get(0).rule());
    testKit.stop(actor);
  }

  @Test
  void aHookSayingWorkingAfterTheLastCaptureOfADialogIsPublishedWithoutWaitingForTheNextCapture() throws Exception {
    AgentPane[] agent = new AgentPane[1];
    ActorRef<Agent.Command> actor = agentOn("waiting--bash-permission.txt", agent);
    actor.tell(new Agent.Observe(screenOf(agent[0])));
    assertEquals(AgentState.WAITING, events.receiveMessage(Duration.ofSeconds(3)).to());
    // the permission granted, the tool ran: its PostToolUse arrives before the pane is captured again
    actor.tell(new Agent.Hook(new HookEvent("claude", "PostToolUse", Optional.of("s-1"), Optional.empty(),
        Optional.empty(), Map.of("tool_name", "Bash"), Instant.now())));
    AgentEvent.StateChanged changed = events.receiveMessage(Duration.ofSeconds(3));
    assertEquals(AgentState.WORKING, changed.to());
    assertEquals("hook", changed.evidence().get(0).rule());
    // a capture after the event that still shows a dialog: the screen decides again (another permission)
    actor.tell(new Agent.Observe(screenOf(agent[0])));
    changed = events.receiveMessage(Duration.ofSeconds(3));
    assertEquals(AgentState.WAITING, changed.to());
    assertEquals("screen-over-hook", changed.evidence().get(0).rule());
    testKit.stop(actor);
  }

  @Test
  void aDeadPaneIsPublishedAsCrashedAtOnce() throws Exception {
    AgentPane[] agent = new AgentPane[1];
    ActorRef<Agent.Command> actor = agentOn("working--spinner-box-esc-to-interrupt.txt", agent);
    actor.tell(new Agent.Observe(screenOf(agent[0])));
    assertEquals(AgentState.WORKING, events.receiveMessage(Duration.ofMillis(500)).to());
    actor.tell(new Agent.PaneUpdated(new AgentPane(pane(agent[0].paneId(), true), Role.AGENT, AgentKind.CLAUDE)));
    AgentEvent.StateChanged changed = events.receiveMessage(Duration.ofMillis(500));
    assertEquals(AgentState.CRASHED, changed.to());
    assertEquals("pane-dead", changed.evidence().get(0).rule());
    testKit.stop(actor);
  }
}
