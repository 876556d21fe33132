package dev.tmuxorc.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reset-time phrases agents print, read against a fixed now (09:30 New York = 13:30 UTC). */
class ResetClockTest {

  private static final ResetClock CLOCK = ResetClock.fromConfig(DefaultDetection.config(), "tmux-orc.detection");
  private static final ZonedDateTime NOW = DefaultDetection.NOW;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Claude usage limit reached. Your limit will reset at 3pm (UTC). | 2025-06-10T15:00:00Z",
        "You've hit your limit · resets 12:10pm (Europe/Paris)           | 2025-06-11T10:10:00Z",
        "5-hour limit reached ∙ resets 3pm                               | 2025-06-10T19:00:00Z",
        "resets 10am                                                     | 2025-06-10T14:00:00Z",
        "resets 9am                                                      | 2025-06-11T13:00:00Z",
        "resets 9:30am                                                   | 2025-06-10T13:30:00Z",
        "reset at 3pm (UTC)                                              | 2025-06-10T15:00:00Z",
        "resets 15:00 (UTC)                                              | 2025-06-10T15:00:00Z",
        "resets 13:29 (UTC)                                              | 2025-06-11T13:29:00Z",
        "resets 12am (UTC)                                               | 2025-06-11T00:00:00Z",
        "resets 12pm (UTC)                                               | 2025-06-11T12:00:00Z",
        "resets 3 p.m. (UTC)                                             | 2025-06-10T15:00:00Z",
        "resets 3pm (PST)                                                | 2025-06-10T22:00:00Z",
        "resets 3pm (Mars/Olympus_Mons)                                  | 2025-06-10T19:00:00Z",
      })
  void wallClockIsTheNextOccurrenceAtOrAfterNow(String line, String expected) {
    assertEquals(Optional.of(Instant.parse(expected)), CLOCK.resetAt(line, NOW));
  }

  @ParameterizedTest(name = "{0} -> +{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "or try again in 2 hours 5 minutes.        | PT2H5M",
        "try again in 4 days 3 hours 12 minutes    | PT99H12M",
        "Rate limited, retry in 30s                | PT30S",
        "resets in 1h 30m                          | PT1H30M",
      })
  void relativeDelayIsAddedToNow(String line, String expected) {
    assertEquals(Optional.of(NOW.toInstant().plus(Duration.parse(expected))), CLOCK.resetAt(line, NOW));
  }

  @Test
  void zoneAbsentMeansNowsZone() {
    ZonedDateTime tokyo = ZonedDateTime.of(2025, 6, 10, 8, 0, 0, 0, ZoneId.of("Asia/Tokyo"));
    assertEquals(Optional.of(Instant.parse("2025-06-10T06:00:00Z")), CLOCK.resetAt("resets 3pm", tokyo));
  }

  @Test
  void exactlyNowIsNow() {
    assertEquals(Optional.of(Instant.parse("2025-06-10T13:30:00Z")), CLOCK.resetAt("resets 1:30pm (UTC)", NOW));
  }

  @Test
  void ambiguousOrImpossibleTimesAreNotGuessed() {
    assertEquals(Optional.empty(), CLOCK.resetAt("resets 3", NOW));
    assertEquals(Optional.empty(), CLOCK.resetAt("resets 13pm", NOW));
    assertEquals(Optional.empty(), CLOCK.resetAt("resets 25:00", NOW));
    assertEquals(Optional.empty(), CLOCK.resetAt("Claude usage limit reached.", NOW));
    assertEquals(Optional.empty(), CLOCK.resetAt("try again in a while", NOW));
  }

  @Test
  void rateLimitWithoutAResetTimeHasNoInstant() {
    Observation observation =
        ClassifierNearMissTest.classify("⏺ X\n  ⎿  Claude usage limit reached.\n\n" + ClassifierNearMissTest.rules(""));
    assertEquals(AgentState.RATE_LIMITED, observation.state());
    assertEquals(Optional.empty(), observation.resetAt());
  }
}
