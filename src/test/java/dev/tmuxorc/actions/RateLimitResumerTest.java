package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
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

/** A rate-limited agent (a real pane with a Claude-like prompt) resumed at its simulated, near reset. */
class RateLimitResumerTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  @TempDir
  Path dir;
  private TestProbe<Journal.Command> journal;
  private FakePrompt prompt;
  private AgentPane agent;
  private ActorRef<RateLimitResumer.Command> resumer;

  @BeforeEach
  void start() throws Exception {
    tmux.session("work", "boot", TmuxServerFixture.IDLE_COMMAND);
    Settings settings = TestSettings.settings(tmux.socket());
    PaneTyper typer = ActionTesting.typer(ActionTesting.tmux(testKit, settings), settings);
    journal = testKit.createTestProbe();
    prompt = FakePrompt.open(tmux, "work", "claude-1", dir.resolve("agent.jsonl"));
    agent = new AgentPane(new Pane(prompt.pane(), "$0", "work", 1, "claude-1", 0, 1001, "claude", false,
        OptionalInt.empty(), Instant.EPOCH, ""), Role.AGENT, AgentKind.CLAUDE);
    ActionSettings actions = ActionSettings.from(ConfigFactory.parseString("tmux-orc.actions.rate-limit { "
        + "resume = true, margin = 200ms }").withFallback(ConfigFactory.load()).resolve());
    resumer = testKit.spawn(RateLimitResumer.create(new RateLimitResumer.Parts(actions, typer,
        new ActionGate(Clock.systemUTC()), () -> CompletableFuture.completedFuture(List.<AgentStatus>of()),
        Optional.of(journal.getRef()), ActionObserver.NONE, Clock.systemUTC())));
    Thread.sleep(300); // it subscribes in its constructor
  }

  @AfterEach
  void stop() {
    testKit.stop(resumer);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private void limited(Instant resetAt) {
    testKit.system().eventStream().tell(new EventStream.Publish<>(new AgentEvent.StateChanged(agent,
        AgentState.WORKING, AgentState.RATE_LIMITED, List.of(), Optional.of(resetAt), Instant.now())));
  }

  private Map<String, Object> action(String outcome) {
    return ActionTesting.action(journal, outcome, PATIENCE);
  }

  @Test
  void atItsResetPlusTheMarginContinueIsTypedOnce() throws Exception {
    limited(Instant.now().plusSeconds(1));
    Thread.sleep(600);
    assertEquals(List.of(), prompt.submitted(), "nothing before the reset");
    assertEquals("rate-limit-resume", action("delivered").get("action"));
    assertEquals(List.of("continue"), prompt.submitted());
  }

  @Test
  void anAgentThatResumedByItselfGetsNothing() throws Exception {
    limited(Instant.now().plusSeconds(1));
    testKit.system().eventStream().tell(new EventStream.Publish<>(new AgentEvent.StateChanged(agent,
        AgentState.RATE_LIMITED, AgentState.WORKING, List.of(), Optional.empty(), Instant.now())));
    Thread.sleep(2000);
    assertEquals(List.of(), prompt.submitted());
  }

  @Test
  void aPromptHoldingTextIsLeftAlone() throws Exception {
    tmux.tmux("send-keys", "-t", prompt.pane().value(), "-l", "--", "my own words");
    limited(Instant.now().plusMillis(500));
    Map<String, Object> deferred = action("deferred");
    assertTrue(String.valueOf(deferred.get("why")).contains("my own words"), deferred.toString());
    assertEquals(List.of(), prompt.submitted());
  }
}
