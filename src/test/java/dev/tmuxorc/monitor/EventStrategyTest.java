package dev.tmuxorc.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.app.Guardian;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.testing.RunningTree;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import dev.tmuxorc.tmux.TmuxPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The event strategy notices screen changes through the change watcher alone: the full sweep runs once at
 * start and then only every 60 s, so a state change detected within seconds came from the subscription.
 */
@ExtendWith(LogCapturingExtension.class)
class EventStrategyTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Path FAKE_AGENT = Path.of("loadtest", "agents", "fake-agent.sh").toAbsolutePath();

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private RunningTree supervisor() {
    Settings settings = TestSettings.settings(tmux.socket(), Map.of(
        "tmux-orc.monitoring.strategy", "event",
        "tmux-orc.monitoring.check-interval", "60s"));
    return RunningTree.spawn(testKit, settings, Guardian.Wiring.of(settings));
  }

  private static String fakeAgent(String schedule) {
    return "exec '" + FAKE_AGENT + "' --argv0 claude --layout top --once --schedule '" + schedule + "'";
  }

  private final List<AgentEvent> seen = new ArrayList<>();

  /** Waits for a state change of {@code window} to {@code state}, keeping every event seen meanwhile. */
  private AgentEvent.StateChanged awaitState(TestProbe<AgentEvent> events, String window, AgentState state) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      for (AgentEvent e : seen) {
        if (e instanceof AgentEvent.StateChanged changed && changed.to() == state
            && changed.agent().pane().windowName().equals(window)) {
          return changed;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no " + window + " -> " + state + " within 15 s; saw " + seen);
      }
      seen.add(events.receiveMessage(Duration.ofNanos(left)));
    }
  }

  @Test
  void screenChangesAreDetectedFromTheSubscriptionAlone() {
    tmux.session("proj", "claude-1", fakeAgent("working:3,idle:300"));
    tmux.window("proj", "claude-2", fakeAgent("idle:4,waiting:300"));
    TestProbe<AgentEvent> events = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, events.getRef()));
    RunningTree supervisor = supervisor();

    awaitState(events, "claude-1", AgentState.WORKING);
    AgentEvent.StateChanged idle = awaitState(events, "claude-1", AgentState.IDLE);
    assertEquals(AgentState.WORKING, idle.from());
    AgentEvent.StateChanged waiting = awaitState(events, "claude-2", AgentState.WAITING);
    assertTrue(waiting.evidence().stream().anyMatch(e -> e.rule().equals("waiting")), waiting.toString());
    supervisor.stop();
  }

  @Test
  void aNewAgentWindowIsDiscoveredWithoutWaitingForTheFullSweep() {
    tmux.session("proj", "claude-1", fakeAgent("idle:300"));
    TestProbe<AgentEvent> events = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, events.getRef()));
    RunningTree supervisor = supervisor();
    awaitState(events, "claude-1", AgentState.IDLE);
    tmux.window("proj", "claude-late", fakeAgent("working:300"));
    awaitState(events, "claude-late", AgentState.WORKING);
    supervisor.stop();
  }

  @Test
  void aWatcherWhoseClientDiesIsRestartedAndKeepsWatching() {
    tmux.session("proj", "claude-1", fakeAgent("idle:5,working:300"));
    TestProbe<AgentEvent> events = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, events.getRef()));
    RunningTree supervisor = supervisor();
    awaitState(events, "claude-1", AgentState.IDLE);
    // every tmux -C client of this test's server: the pool's and the watcher's
    ProcessHandle.current().children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains(tmux.socket())).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
    awaitState(events, "claude-1", AgentState.WORKING);
    supervisor.stop();
  }
}
