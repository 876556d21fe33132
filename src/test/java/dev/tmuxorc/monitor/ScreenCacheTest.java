package dev.tmuxorc.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tmuxorc.discovery.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ScreenCacheTest {

  private static final Instant ACTIVITY = Instant.parse("2026-11-24T10:00:00Z"); // whole seconds, as tmux says
  private static final Duration MAX_AGE = Duration.ofSeconds(10);

  private static AgentPane listed(Instant activity, boolean dead) {
    return new AgentPane(new Pane(new PaneId("%1"), "$0", "s", 1, "claude-1", 0, 4242, "claude", dead, OptionalInt.empty(),
        activity, ""), Role.AGENT, AgentKind.CLAUDE);
  }

  private static AgentPane listed(Instant activity) {
    return listed(activity, false);
  }

  private final ScreenCache cache = newCache();

  private static ScreenCache newCache() {
    return new ScreenCache(MAX_AGE, Caffeine.newBuilder().recordStats().build());
  }

  @Test
  void aScreenCapturedAfterTheActivitySecondIsReusedWhileTheWindowStaysQuiet() {
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusMillis(1000));
    assertEquals(Optional.of("screen"), cache.unchanged(listed(ACTIVITY), ACTIVITY.plusSeconds(5)));
  }

  @Test
  void aScreenCapturedWithinTheActivitySecondProvesNothing() {
    // Output later in that same second would leave window_activity as it is.
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusMillis(999));
    assertEquals(Optional.empty(), cache.unchanged(listed(ACTIVITY), ACTIVITY.plusSeconds(5)));
  }

  @Test
  void activitySinceTheCaptureMeansCaptureAgain() {
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusSeconds(2));
    assertEquals(Optional.empty(), cache.unchanged(listed(ACTIVITY.plusSeconds(3)), ACTIVITY.plusSeconds(5)));
  }

  @Test
  void aCaptureOfAPartialCycleIsProvedByTheNextListing() {
    // Captured 3 s after output that the (older) listing of its cycle did not know about yet.
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusSeconds(8));
    assertEquals(Optional.of("screen"), cache.unchanged(listed(ACTIVITY.plusSeconds(5)), ACTIVITY.plusSeconds(9)));
    // ...but not when that output came in the capture's own second
    assertEquals(Optional.empty(), cache.unchanged(listed(ACTIVITY.plusSeconds(8)), ACTIVITY.plusSeconds(9)));
  }

  @Test
  void activityOlderThanTheCapturesListingProvesNothing() {
    // a clock stepped back, or a pane moved into a quieter window
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusSeconds(2));
    assertEquals(Optional.empty(), cache.unchanged(listed(ACTIVITY.minusSeconds(1)), ACTIVITY.plusSeconds(3)));
  }

  @Test
  void aListingWithoutActivityProvesNothing() {
    // PaneFormat reads an empty window_activity as the epoch
    cache.remember(listed(Instant.EPOCH), "screen", ACTIVITY);
    assertEquals(Optional.empty(), cache.unchanged(listed(Instant.EPOCH), ACTIVITY.plusSeconds(1)));
    assertTrue(cache.worthCapturing(listed(Instant.EPOCH), ACTIVITY.plusSeconds(1)));
  }

  @Test
  void aScreenOlderThanMaxAgeIsCapturedAgainExpiringWithinItsLastQuarter() {
    Instant sent = ACTIVITY.plusSeconds(2);
    cache.remember(listed(ACTIVITY), "screen", sent);
    assertTrue(cache.unchanged(listed(ACTIVITY), sent.plus(MAX_AGE.multipliedBy(3).dividedBy(4)).minusMillis(1))
        .isPresent());
    assertFalse(cache.unchanged(listed(ACTIVITY), sent.plus(MAX_AGE)).isPresent());
    assertTrue(cache.worthCapturing(listed(ACTIVITY), sent.plus(MAX_AGE)), "an expired screen is captured up front");
  }

  @Test
  void aDeadPaneOrAFailedCaptureIsNeverServed() {
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusSeconds(2));
    assertFalse(cache.unchanged(listed(ACTIVITY, true), ACTIVITY.plusSeconds(3)).isPresent());
    cache.forget(listed(ACTIVITY).key());
    assertFalse(cache.unchanged(listed(ACTIVITY), ACTIVITY.plusSeconds(3)).isPresent());
  }

  @Test
  void retainDropsAgentsThatAreGone() {
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusSeconds(2));
    cache.retain(List.of(new AgentId(new PaneId("%9"), 1)));
    assertEquals(0, cache.size());
  }

  @Test
  void recentlyActiveWindowsAreWorthCapturingUpFront() {
    cache.remember(listed(ACTIVITY), "screen", ACTIVITY.plusSeconds(1));
    // reusable, but the window was active a second ago: a spinner will likely have moved by the next listing
    assertTrue(cache.worthCapturing(listed(ACTIVITY), ACTIVITY.plusMillis(1500)));
    assertFalse(cache.worthCapturing(listed(ACTIVITY), ACTIVITY.plus(ScreenCache.RECENTLY_ACTIVE)));
    // nothing remembered: always
    assertTrue(newCache().worthCapturing(listed(ACTIVITY), ACTIVITY.plusSeconds(30)));
  }
}
