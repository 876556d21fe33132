package dev.tmuxorc.monitor;

import dev.tmuxorc.discovery.AgentPane;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The last screen captured of each agent's pane, and the proof that it is still the screen: tmux bumps a
 * window's {@code window_activity} whenever any of its panes receives output (input.c, before the output is
 * drawn), so a pane whose window shows the same activity as when it was captured has drawn nothing since.
 *
 * <p>{@code window_activity} counts whole seconds, so output later in the same second as the last one leaves
 * it unchanged. A screen is therefore reused only when its capture was sent at or after the end of that
 * second ({@code sentBefore ≥ activity + 1 s}): all the output of that second was then drawn before tmux ran
 * the capture. The time is taken before the capture is written, and tmux runs it later, so the test errs
 * towards capturing. A screen older than {@code maxAge} is captured anyway: it bounds what a change tmux does
 * not count as activity (a resize re-wrapping a screen, a clock stepped backwards) can hide.
 *
 * <p>Written by the threads that deliver captures, read by the supervisor.
 */
final class ScreenCache {

  /**
   * A screen, when its capture was written, the pane's window activity in the listing it belonged to, and
   * when it is too old to stand in for a capture.
   */
  record Entry(String text, Instant sentBefore, Instant activity, Instant expires) { }

  private static final Duration ACTIVITY_RESOLUTION = Duration.ofSeconds(1);

  /**
   * A window active this recently is likely to be active again before the next listing (a spinner redraws
   * every second, and the value counts whole seconds), so a cycle captures it up front rather than in a
   * second round trip after its listing.
   */
  static final Duration RECENTLY_ACTIVE = Duration.ofSeconds(2);

  private final Duration maxAge;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  ScreenCache(Duration maxAge) {
    this.maxAge = maxAge;
  }

  /**
   * Remembers a screen captured by a command written at {@code sentBefore}; {@code listed} is the pane as the
   * listing run before that capture saw it (its activity is at most as new as the screen).
   */
  void remember(AgentPane listed, String text, Instant sentBefore) {
    // Each screen expires somewhere in the last quarter of maxAge, so that panes captured together (at
    // start-up) are not all captured again in the same cycle, every maxAge.
    long spreadNanos = maxAge.toNanos() / 4;
    Instant expires = sentBefore.plus(maxAge).minusNanos(ThreadLocalRandom.current().nextLong(spreadNanos + 1));
    entries.put(listed.key(), new Entry(text, sentBefore, listed.pane().windowActivity(), expires));
  }

  /** The capture of this pane failed: whatever was remembered must not stand in for it. */
  void forget(String key) {
    entries.remove(key);
  }

  /** Keeps only the entries of these agents (the others' panes are gone). */
  void retain(Collection<String> keys) {
    Set<String> keep = Set.copyOf(keys);
    entries.keySet().removeIf(key -> !keep.contains(key));
  }

  /**
   * The remembered screen of {@code listed}, if its window has had no activity since it was captured, as the
   * listing made {@code now} shows (and the screen is younger than {@code maxAge}, less up to a quarter).
   */
  Optional<String> unchanged(AgentPane listed, Instant now) {
    Entry entry = entries.get(listed.key());
    if (entry == null || listed.pane().dead()) {
      return Optional.empty();
    }
    Instant activity = listed.pane().windowActivity();
    // Output after the capture would show as an activity second no earlier than sentBefore's, failing the
    // second test on its own; the first also refuses activity that went backwards (a clock stepped back).
    boolean quietSince = activity.equals(entry.activity())
        && !entry.sentBefore().isBefore(activity.plus(ACTIVITY_RESOLUTION));
    boolean fresh = now.isBefore(entry.expires());
    return quietSince && fresh ? Optional.of(entry.text()) : Optional.empty();
  }

  /**
   * Whether a cycle should capture this agent up front, before its listing says whether the screen moved:
   * when the last listing ({@code lastListed}) already proves nothing, or its window was recently active.
   */
  boolean worthCapturing(AgentPane lastListed, Instant now) {
    return unchanged(lastListed, now).isEmpty()
        || lastListed.pane().windowActivity().plus(RECENTLY_ACTIVE).isAfter(now);
  }

  int size() {
    return entries.size();
  }
}
