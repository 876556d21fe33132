package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.testing.FakePrompt;
import dev.tmuxorc.testing.TestSettings;
import dev.tmuxorc.testing.TmuxServerFixture;
import dev.tmuxorc.tmux.TmuxCommand;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typing into a real pane that runs a Claude-like prompt (src/test/resources/agents/fake-prompt.py), which records
 * every text submitted to it: delivered exactly once, literally; held when the prompt holds text; Enter again when
 * the first one is lost; never a command built from text.
 */
class PaneTyperTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  @TempDir
  Path dir;
  private PaneTyper typer;
  private Path log;

  @BeforeEach
  void start() {
    tmux.session("s", "boot", TmuxServerFixture.IDLE_COMMAND);
    Settings settings = TestSettings.settings(tmux.socket());
    typer = ActionTesting.typer(ActionTesting.tmux(testKit, settings), settings);
    log = dir.resolve("submitted.jsonl");
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private FakePrompt prompt;

  private PaneId fakePrompt(String... options) throws Exception {
    prompt = FakePrompt.open(tmux, "s", "pm", log, options);
    return prompt.pane();
  }

  private List<String> submitted() {
    return prompt.submitted();
  }

  private PaneTyper.Outcome type(PaneId pane, String text) throws Exception {
    return typer.type(pane, AgentKind.CLAUDE, text).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void oneLineIsTypedLiterallyAndSubmittedOnce() throws Exception {
    PaneId pane = fakePrompt();
    String text = "report: %3 w:1.0 idle; \"quotes\" $(touch /tmp/x) ; kill-server #{pane_id} -x";
    PaneTyper.Outcome outcome = type(pane, text);
    assertEquals(new PaneTyper.Outcome.Delivered(1), outcome);
    assertEquals(List.of(text), submitted());
    assertTrue(tmux.running(), "no text became a tmux command");
  }

  @Test
  void severalLinesGoAsOnePasteAndOneSubmission() throws Exception {
    PaneId pane = fakePrompt();
    String text = "Agents needing you:\n- %3 w:1.0 crashed\n- %4 w:2.0 waiting for a decision";
    assertEquals(new PaneTyper.Outcome.Delivered(1), type(pane, text));
    assertEquals(List.of(text), submitted());
    assertFalse(tmux.tmux("list-buffers", "-F", "#{buffer_name}").contains("tmux-orc"), "the buffer is deleted");
  }

  @Test
  void aPromptHoldingSomeonesTextIsNeverTypedIntoNorCleared() throws Exception {
    PaneId pane = fakePrompt();
    tmux.tmux("send-keys", "-t", pane.value(), "-l", "--", "half a thought");
    Thread.sleep(300);
    PaneTyper.Outcome outcome = type(pane, "report");
    PaneTyper.Outcome.Held held = assertInstanceOf(PaneTyper.Outcome.Held.class, outcome);
    assertTrue(held.reason().contains("half a thought"), held.reason());
    assertTrue(tmux.capture(pane.value()).contains("half a thought"), "left as it was");
    assertEquals(List.of(), submitted());
  }

  @Test
  void aLostEnterIsPressedAgainAndTheTextSubmittedOnce() throws Exception {
    PaneId pane = fakePrompt("--ignore-enter", "1");
    assertEquals(new PaneTyper.Outcome.Delivered(2), type(pane, "continue"));
    assertEquals(List.of("continue"), submitted());
  }

  @Test
  void noPromptOnScreenHoldsTheDelivery() throws Exception {
    PaneId pane = new PaneId(tmux.window("s", "log", TmuxServerFixture.showFile(
        TmuxServerFixture.textFile(dir, "log.txt", "building...\n[1/3] compiling"))));
    Thread.sleep(300);
    assertEquals(new PaneTyper.Outcome.Held("no prompt on screen"), type(pane, "report"));
  }

  @Test
  void autoSubmitPressesEnterOnlyOnTheTextItExpects() throws Exception {
    PaneId pane = fakePrompt();
    tmux.tmux("send-keys", "-t", pane.value(), "-l", "--", "run the tests");
    Thread.sleep(300);
    PaneTyper.Outcome changed = typer.submit(pane, AgentKind.CLAUDE, "something else").toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    assertInstanceOf(PaneTyper.Outcome.Held.class, changed);
    assertEquals(List.of(), submitted());
    PaneTyper.Outcome outcome = typer.submit(pane, AgentKind.CLAUDE, "run the tests").toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
    assertEquals(new PaneTyper.Outcome.Delivered(1), outcome);
    assertEquals(List.of("run the tests"), submitted());
  }

  @Test
  void controlCharactersNeverReachThePane() {
    assertEquals("a[31mred b", PaneTyper.printable("a\u001b[31mred\tb\u0007"));
    assertEquals("one\ntwo", PaneTyper.printable("one\r\ntwo\n"));
    assertEquals(List.of(TmuxCommand.sendLiteral("%1", "x")), PaneTyper.typeCommands(new PaneId("%1"), "x"));
  }
}
