package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.nio.file.Files;
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

/**
 * Recovery on a real tmux server: a crashed agent's pane is respawned (here with a command that records its start
 * and its arguments), once, within the guardrails.
 */
class RecoveryTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  @TempDir
  Path dir;
  private TestProbe<Journal.Command> journal;
  private PaneTyper.Tmux run;
  private PaneTyper typer;
  private ActorRef<Recovery.Command> recovery;
  private Path starts;
  private final List<AgentStatus> fleet = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    tmux.session("work", "boot", TmuxServerFixture.IDLE_COMMAND);
    Settings settings = TestSettings.settings(tmux.socket());
    run = ActionTesting.tmux(testKit, settings);
    typer = ActionTesting.typer(run, settings);
    journal = testKit.createTestProbe();
    starts = dir.resolve("starts.log");
  }

  @AfterEach
  void stop() {
    if (recovery != null) {
      testKit.stop(recovery);
    }
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private void recovery(String hocon) throws InterruptedException {
    ActionSettings actions = ActionSettings.from(ConfigFactory.parseString("tmux-orc.actions.recovery { "
        + "enabled = true, spacing = 0s }\n" + hocon).withFallback(ConfigFactory.load()).resolve());
    recovery = testKit.spawn(Recovery.create(new Recovery.Parts(actions, run, typer,
        new ActionGate(Clock.systemUTC()), () -> CompletableFuture.completedFuture(List.copyOf(fleet)),
        Optional.of(journal.getRef()), ActionObserver.NONE, Clock.systemUTC())));
    Thread.sleep(300); // it subscribes in its constructor
  }

  private AgentPane agent(String window, Role role, AgentKind kind) {
    String id = tmux.window("work", window, "exec sh");
    return new AgentPane(new Pane(new PaneId(id), "$0", "work", 1, window, 0, 1001, kind.wireName(), false,
        OptionalInt.empty(), Instant.EPOCH, ""), role, kind);
  }

  private void publish(AgentEvent event) {
    testKit.system().eventStream().tell(new EventStream.Publish<>(event));
  }

  private void crashed(AgentPane agent) {
    publish(new AgentEvent.StateChanged(agent, AgentState.WORKING, AgentState.CRASHED, List.of(), Optional.empty(),
        Instant.now()));
  }

  private Map<String, Object> action(String outcome) {
    return ActionTesting.action(journal, outcome, PATIENCE);
  }

  private List<String> starts() throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!Files.exists(starts) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Thread.sleep(300);
    return Files.readAllLines(starts);
  }

  @Test
  void aCrashedAgentIsRespawnedOnceWithTheConfiguredCommand() throws Exception {
    recovery("tmux-orc.actions.recovery.command = \"echo started >> '" + starts + "'; exec sleep 600\"");
    AgentPane agent = agent("claude-1", Role.AGENT, AgentKind.CLAUDE);
    crashed(agent);
    assertTrue(String.valueOf(action("delivered").get("why")).contains("respawned"));
    assertEquals(List.of("started"), starts());
    crashed(agent); // the old process's crash seen again (a late event): it was restarted already
    Thread.sleep(500);
    assertEquals(1, starts().size());
  }

  @Test
  void aStormOfCrashesIsWaitedOutThenRestartedTogetherOnce() throws Exception {
    recovery("tmux-orc.actions.recovery { spacing = 60s, storm { crashes = 2, window = 1m, wait = 1s }, "
        + "command = \"echo started >> '" + starts + "'; exec sleep 600\" }");
    crashed(agent("claude-4", Role.AGENT, AgentKind.CLAUDE));
    action("delivered"); // the first crash alone is no storm
    crashed(agent("claude-5", Role.AGENT, AgentKind.CLAUDE));
    crashed(agent("claude-6", Role.AGENT, AgentKind.CLAUDE));
    assertTrue(String.valueOf(action("held").get("why")).contains("crashes within"));
    action("delivered");
    action("delivered"); // both, without the 60 s spacing between them
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (Files.readAllLines(starts).size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(3, Files.readAllLines(starts).size());
  }

  @Test
  void aPaneRunningItsProgramAgainIsNotKilledOnAnOldCrashVerdict() throws Exception {
    recovery("tmux-orc.actions.recovery.command = \"echo started >> '" + starts + "'\"");
    String id = tmux.window("work", "claude-7", "exec sleep 600"); // alive: not a shell, not dead
    for (int i = 0; i < 100 && !tmux.tmux("display-message", "-p", "-t", id, "#{pane_current_command}").strip()
        .equals("sleep"); i++) {
      Thread.sleep(50); // sh until it has exec'd sleep
    }
    AgentPane agent = new AgentPane(new Pane(new PaneId(id), "$0", "work", 1, "claude-7", 0, 1001, "claude", false,
        OptionalInt.empty(), Instant.EPOCH, ""), Role.AGENT, AgentKind.CLAUDE);
    crashed(agent);
    assertTrue(String.valueOf(action("failed").get("why")).contains("not restarted"));
    assertTrue(!Files.exists(starts));
  }

  @Test
  void anAgentAlreadyCrashedWhenItStartsIsRestartedToo() throws Exception {
    AgentPane agent = agent("claude-8", Role.AGENT, AgentKind.CLAUDE);
    fleet.add(new AgentStatus(agent, AgentState.CRASHED, AgentState.WORKING, dev.tmuxorc.agent.Health.WARNING,
        Instant.now(), Instant.now(), List.of(), Optional.empty(), Map.of(), Optional.empty()));
    recovery("tmux-orc.actions.recovery.command = \"echo started >> '" + starts + "'; exec sleep 600\"");
    assertTrue(String.valueOf(action("delivered").get("why")).contains("respawned"));
    assertEquals(List.of("started"), starts());
  }

  @Test
  void restartsAcrossTheFleetWaitTheirTurnSpacingApart() throws Exception {
    recovery("tmux-orc.actions.recovery { spacing = 2s, command = \"echo started >> '" + starts
        + "'; exec sleep 600\" }");
    crashed(agent("claude-9", Role.AGENT, AgentKind.CLAUDE));
    crashed(agent("claude-10", Role.AGENT, AgentKind.CLAUDE));
    action("delivered");
    Thread.sleep(500);
    assertEquals(1, Files.readAllLines(starts).size(), "the second waits for its turn");
    action("delivered");
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (Files.readAllLines(starts).size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(2, Files.readAllLines(starts).size());
  }

  @Test
  void thePmIsNeverRestartedUnlessIncluded() throws Exception {
    recovery("tmux-orc.actions.recovery.command = \"echo started >> '" + starts + "'\"");
    crashed(agent("pm", Role.PM, AgentKind.CLAUDE));
    assertTrue(String.valueOf(action("held").get("why")).contains("include-pm"));
    assertTrue(!Files.exists(starts));
  }

  @Test
  void pastMaxRestartsTheCircuitOpens() throws Exception {
    recovery("tmux-orc.actions.recovery { max-restarts = 1, command = \"echo started >> '" + starts
        + "'; exec sleep 600\" }");
    AgentPane agent = agent("claude-2", Role.AGENT, AgentKind.CLAUDE);
    crashed(agent);
    action("delivered");
    // the new process (another pid) comes up, then crashes too
    Pane before = agent.pane();
    AgentPane again = new AgentPane(new Pane(before.paneId(), "$0", "work", 1, "claude-2", 0, 2002, "claude", false,
        OptionalInt.empty(), Instant.EPOCH, ""), Role.AGENT, AgentKind.CLAUDE);
    publish(new AgentEvent.StateChanged(again, AgentState.STARTING, AgentState.IDLE, List.of(), Optional.empty(),
        Instant.now()));
    crashed(again);
    assertTrue(String.valueOf(action("suppressed").get("why")).contains("circuit is open"));
    assertEquals(1, starts().size());
  }

  @Test
  void aClaudeConversationIsResumedWithoutAShellAndAHooksSessionIdNeverBecomesShellText() throws Exception {
    recovery("");
    AgentPane agent = agent("claude-3", Role.AGENT, AgentKind.CLAUDE);
    publish(new AgentEvent.HookReceived(agent, new HookEvent("claude", "SessionStart", Optional.of("0f8e6c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6"),
        Optional.empty(), Optional.empty(), Map.of(), Instant.now()), Instant.now()));
    publish(new AgentEvent.HookReceived(agent, new HookEvent("claude", "Stop", Optional.of("x; touch '" + starts
        + "'"), Optional.empty(), Optional.empty(), Map.of(), Instant.now()), Instant.now()));
    recovery = recoveryDryRun(recovery);
    crashed(agent);
    Map<String, Object> dry = action("dry-run");
    assertEquals("dry-run: would have respawned it with claude --resume 0f8e6c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", dry.get("why"));
    assertTrue(!Files.exists(starts), "nothing ran");
  }

  // the same events again, in a dry-run recovery (the command would start a real claude)
  private ActorRef<Recovery.Command> recoveryDryRun(ActorRef<Recovery.Command> wet) throws Exception {
    testKit.stop(wet);
    recovery("tmux-orc.actions.dry-run = true");
    AgentPane agent = new AgentPane(new Pane(new PaneId(tmux.paneId("work:claude-3")), "$0", "work", 1,
        "claude-3", 0, 1001, "claude", false, OptionalInt.empty(), Instant.EPOCH, ""), Role.AGENT, AgentKind.CLAUDE);
    publish(new AgentEvent.HookReceived(agent, new HookEvent("claude", "SessionStart", Optional.of("0f8e6c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6"),
        Optional.empty(), Optional.empty(), Map.of(), Instant.now()), Instant.now()));
    publish(new AgentEvent.HookReceived(agent, new HookEvent("claude", "Stop", Optional.of("x; touch '" + starts
        + "'"), Optional.empty(), Optional.empty(), Map.of(), Instant.now()), Instant.now()));
    return recovery;
  }
}
