package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.HookEvent;
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

/** Auto-submit on a real pane running a Claude-like prompt that records what is submitted. */
class AutoSubmitterTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  @TempDir
  Path dir;
  private PaneTyper typer;
  private TestProbe<Journal.Command> journal;
  private Path log;
  private ActorRef<AutoSubmitter.Command> submitter;
  private AgentPane agent;
  private FakePrompt prompt;

  @BeforeEach
  void start() throws Exception {
    tmux.session("work", "boot", TmuxServerFixture.IDLE_COMMAND);
    Settings settings = TestSettings.settings(tmux.socket());
    typer = ActionTesting.typer(ActionTesting.tmux(testKit, settings), settings);
    journal = testKit.createTestProbe();
    log = dir.resolve("agent.jsonl");
    prompt = FakePrompt.open(tmux, "work", "claude-1", log);
    agent = new AgentPane(new Pane(prompt.pane(), "$0", "work", 1, "claude-1", 0, 1001, "claude", false,
        OptionalInt.empty(), Instant.EPOCH, ""), Role.AGENT, AgentKind.CLAUDE);
  }

  @AfterEach
  void stop() {
    if (submitter != null) {
      testKit.stop(submitter);
    }
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private void submitter(String hocon) throws InterruptedException {
    ActionSettings actions = ActionSettings.from(ConfigFactory.parseString("tmux-orc.actions { auto-submit { "
        + "enabled = true, after = 1s, spacing = 500ms }\n" + hocon + " }").withFallback(ConfigFactory.load())
        .resolve());
    submitter = testKit.spawn(AutoSubmitter.create(new AutoSubmitter.Parts(actions, typer,
        new ActionGate(Clock.systemUTC()),
        pane -> CompletableFuture.completedFuture(Optional.of(tmux.capture(pane.value()))),
        Optional.of(journal.getRef()), ActionObserver.NONE, Clock.systemUTC())));
    Thread.sleep(300); // it subscribes in its constructor
  }

  private void publish(AgentEvent event) {
    testKit.system().eventStream().tell(new EventStream.Publish<>(event));
  }

  private void state(AgentState from, AgentState to) {
    publish(new AgentEvent.StateChanged(agent, from, to, List.of(), Optional.empty(), Instant.now()));
  }

  private void type(String text) throws InterruptedException {
    tmux.tmux("send-keys", "-t", agent.paneId().value(), "-l", "--", text);
    Thread.sleep(200);
  }

  private List<String> submitted() {
    return prompt.submitted();
  }

  private Map<String, Object> action(String outcome) {
    return ActionTesting.action(journal, outcome, PATIENCE);
  }

  @Test
  void aPromptLeftUnsubmittedAndUnchangedGetsEnterOnce() throws Exception {
    submitter("");
    state(AgentState.UNKNOWN, AgentState.IDLE);
    type("run the tests");
    state(AgentState.IDLE, AgentState.UNSUBMITTED);
    assertEquals("auto-submit", action("delivered").get("action"));
    assertEquals(List.of("run the tests"), submitted());
  }

  @Test
  void aPromptStillBeingTypedWaitsUntilItStopsChanging() throws Exception {
    submitter("");
    state(AgentState.UNKNOWN, AgentState.IDLE);
    type("first words");
    state(AgentState.IDLE, AgentState.UNSUBMITTED);
    for (int i = 0; i < 6; i++) { // 1.8 s of typing, past 'after'
      Thread.sleep(100);
      type(" more");
    }
    assertEquals(List.of(), submitted(), "not while it changes");
    action("delivered");
    assertEquals(List.of("first words more more more more more more"), submitted());
  }

  @Test
  void neverOnAWelcomeScreenNorInDryRun() throws Exception {
    submitter("dry-run = true");
    state(AgentState.UNKNOWN, AgentState.STARTING);
    type("hello");
    state(AgentState.STARTING, AgentState.UNSUBMITTED);
    Thread.sleep(1800);
    state(AgentState.UNSUBMITTED, AgentState.IDLE);
    state(AgentState.IDLE, AgentState.UNSUBMITTED);
    Map<String, Object> dry = action("dry-run");
    assertTrue(String.valueOf(dry.get("why")).contains("hello"), dry.toString());
    assertEquals(List.of(), submitted());
  }

  @Test
  void aRecentHookEventHoldsIt() throws Exception {
    submitter("");
    state(AgentState.UNKNOWN, AgentState.IDLE);
    type("draft");
    state(AgentState.IDLE, AgentState.UNSUBMITTED);
    Thread.sleep(700);
    publish(new AgentEvent.HookReceived(agent, new HookEvent("claude", "Notification", Optional.empty(),
        Optional.empty(), Optional.empty(), Map.of(), Instant.now()), Instant.now()));
    Thread.sleep(700); // 'after' since the state, not since the hook
    assertEquals(List.of(), submitted());
    action("delivered");
    assertEquals(List.of("draft"), submitted());
  }
}
