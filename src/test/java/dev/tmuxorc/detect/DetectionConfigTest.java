package dev.tmuxorc.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import dev.tmuxorc.discovery.AgentKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped config is documented, fixable by config alone, validated at load, and cheap to run. */
class DetectionConfigTest {

  private static final String SPINNER_SCREEN =
      "⏺ Bash(make)\n\n✻ Frobnicating the widgets\n\n" + ClassifierNearMissTest.rules("");

  @Test
  void everyKeyHasAComment() {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(DefaultDetection.config().root(), "tmux-orc.detection", undocumented);
    assertEquals(List.of(), undocumented);
  }

  @Test
  void everyAgentKindHasItsOwnBlockOrTheDefault() {
    Config kinds = DefaultDetection.config().getConfig("kinds");
    for (AgentKind kind : AgentKind.values()) {
      if (kind != AgentKind.UNKNOWN) {
        assertTrue(kinds.hasPath(kind.wireName()), kind.wireName());
      }
    }
    assertTrue(kinds.hasPath("default"));
  }

  @Test
  void aNewUiStringIsFixedByConfigAlone() {
    assertEquals(AgentState.IDLE, classify(DefaultDetection.CLASSIFIER, SPINNER_SCREEN));
    Config patched =
        ConfigFactory.parseString(
                "kinds.claude.working = ${kinds.claude.working} [\"re:^✻ Frobnicating\"]")
            .withFallback(DefaultDetection.config())
            .resolve();
    assertEquals(AgentState.WORKING, classify(Classifier.fromConfig(patched), SPINNER_SCREEN));
  }

  @Test
  void aKindBlockMayOmitKeysThatComeFromTheDefault() {
    Config patched =
        ConfigFactory.parseString("kinds.codex = { working = [\"Brewing\"] }")
            .withFallback(DefaultDetection.config().withoutPath("kinds.codex"));
    Classifier classifier = Classifier.fromConfig(patched);
    assertEquals(
        AgentState.WORKING,
        classifier.classify("Brewing tea\n> ", PaneFacts.of(AgentKind.CODEX), DefaultDetection.NOW).state());
    assertEquals(
        AgentState.IDLE, classifier.classify("done\n> ", PaneFacts.of(AgentKind.CODEX), DefaultDetection.NOW).state());
  }

  @Test
  void badMarkersFailAtLoadNamingTheKey() {
    ConfigException badRegex =
        assertThrows(ConfigException.BadValue.class, () -> load("kinds.claude.error = [\"re:API Error: (\"]"));
    assertTrue(badRegex.getMessage().contains("kinds.claude.error"), badRegex.getMessage());
    assertThrows(ConfigException.BadValue.class, () -> load("kinds.claude.prompt = [\"re:^> (.*)$\"]"));
    assertThrows(ConfigException.BadValue.class, () -> load("kinds.aider.waiting = [\"\"]"));
    assertThrows(ConfigException.BadValue.class, () -> load("reset-time = [\"resets (\\\\d+)\"]"));
    assertThrows(ConfigException.BadValue.class, () -> load("live-region-lines = 0"));
  }

  @Test
  void hostileLinesDoNotBacktrack() {
    String longLine = "a@".repeat(5_000) + "b".repeat(5_000);
    String spaces = "│ > " + " ".repeat(20_000) + "x";
    String gerund = "✻ " + "A" + "a".repeat(20_000);
    String digits = "resets " + "1".repeat(10_000) + " (" + "9".repeat(10_000);
    String options = "│ ".repeat(5_000) + "▌ ".repeat(5_000) + "1." + " ".repeat(5_000);
    String prompts = "~/" + "a ".repeat(5_000) + "❯x";
    String fish = "a@b " + ">".repeat(10_000) + "x";
    String rules = ("─".repeat(3) + "\n" + "  " + "x ".repeat(100) + "\n").repeat(200);
    String screen = String.join("\n", longLine, gerund, spaces, digits, "─".repeat(10_000) + "x", options, prompts,
        fish, rules, "Enter to select (esc)", longLine);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (AgentKind kind : AgentKind.values()) {
            DefaultDetection.CLASSIFIER.classify(screen, PaneFacts.of(kind), DefaultDetection.NOW);
          }
        });
  }

  @Test
  void classifiesThousandsOfScreensPerSecond() {
    String screen =
        "> Add input validation\n\n⏺ Read(src/forms/signup.ts)\n  ⎿  Read 84 lines\n\n"
            + "✻ Pondering… (38s · ↓ 1.2k tokens · esc to interrupt)\n\n"
            + ClassifierNearMissTest.box("");
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          for (int i = 0; i < 50_000; i++) {
            DefaultDetection.CLASSIFIER.classify(screen, PaneFacts.of(AgentKind.CLAUDE), DefaultDetection.NOW);
          }
        });
  }

  private static AgentState classify(Classifier classifier, String screen) {
    return classifier.classify(screen, PaneFacts.of(AgentKind.CLAUDE), DefaultDetection.NOW).state();
  }

  private static Classifier load(String override) {
    return Classifier.fromConfig(ConfigFactory.parseString(override).withFallback(DefaultDetection.config()));
  }

  private static void collectUndocumented(ConfigObject object, String path, List<String> undocumented) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      String child = path + "." + entry.getKey();
      if (entry.getValue().origin().comments().isEmpty()) {
        undocumented.add(child);
      }
      if (entry.getValue() instanceof ConfigObject nested) {
        collectUndocumented(nested, child, undocumented);
      }
    }
    assertFalse(object.isEmpty(), path);
  }
}
