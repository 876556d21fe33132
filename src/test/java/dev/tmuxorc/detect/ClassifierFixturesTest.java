package dev.tmuxorc.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.tmuxorc.discovery.AgentKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classifies every labelled screen: `label--[kind--]description.txt`, kind defaults to claude.
 *
 * <p>Our own copies live in src/test/resources/screens; the shared fixtures, when present, are read from
 * ../shared/fixtures/screens so new captures dropped there are tested without copying.
 */
class ClassifierFixturesTest {

  private static final Path OWN = Path.of("src", "test", "resources", "screens");
  private static final Path SHARED = Path.of("..", "shared", "fixtures", "screens");

  static Stream<Path> screens() {
    return Stream.of(OWN, SHARED).filter(Files::isDirectory).flatMap(ClassifierFixturesTest::list);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("screens")
  void classifiesAsLabelled(Path file) {
    String name = file.getFileName().toString();
    String[] parts = name.substring(0, name.length() - ".txt".length()).split("--");
    AgentState expected = AgentState.fromWireName(parts[0]);
    AgentKind kind =
        parts.length > 2 ? AgentKind.fromWireName(parts[1]).orElse(AgentKind.CLAUDE) : AgentKind.CLAUDE;

    Observation observation = DefaultDetection.CLASSIFIER.classify(read(file), PaneFacts.of(kind), DefaultDetection.NOW);

    assertEquals(expected, observation.state(), () -> file + " evidence " + observation.evidence());
    if (expected != AgentState.UNKNOWN) {
      assertFalse(observation.evidence().isEmpty(), "a verdict needs evidence");
    }
  }

  @Test
  void ownCopiesHoldEverySharedFixture() {
    List<Path> shared = Files.isDirectory(SHARED) ? list(SHARED).toList() : List.of();
    for (Path file : shared) {
      assertEquals(read(file), read(OWN.resolve(file.getFileName())), file.toString());
    }
  }

  @Test
  void usageLimitResetsAtThreePmUtcToday() {
    assertEquals(
        Optional.of(Instant.parse("2025-06-10T15:00:00Z")),
        resetAt("rate_limited--usage-limit-reset-utc.txt"));
  }

  @Test
  void hitYourLimitResetsTomorrowInParisBecauseTodaysTimeHasPassed() {
    // now is 15:30 in Paris, so 12:10pm Paris is tomorrow (CEST, UTC+2)
    assertEquals(
        Optional.of(Instant.parse("2025-06-11T10:10:00Z")),
        resetAt("rate_limited--hit-your-limit-timezone.txt"));
  }

  @Test
  void codexRelativeResetIsAddedToNow() {
    assertEquals(
        Optional.of(DefaultDetection.NOW.toInstant().plusSeconds(2 * 3600 + 5 * 60)),
        DefaultDetection.CLASSIFIER
            .classify(read(OWN.resolve("rate_limited--codex--try-again-in.txt")), PaneFacts.of(AgentKind.CODEX), DefaultDetection.NOW)
            .resetAt());
  }

  private static Optional<Instant> resetAt(String fixture) {
    Observation observation =
        DefaultDetection.CLASSIFIER.classify(read(OWN.resolve(fixture)), PaneFacts.of(AgentKind.CLAUDE), DefaultDetection.NOW);
    assertEquals(AgentState.RATE_LIMITED, observation.state());
    return observation.resetAt();
  }

  private static Stream<Path> list(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(file -> file.getFileName().toString().endsWith(".txt")).sorted().toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
