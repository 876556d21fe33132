package dev.tmuxorc.monitor;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.AgentPane;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The last screen captured of each agent's pane, and the proof that it is still the screen: tmux bumps a
 * window's {@code window_activity} whenever any of its panes receives output (input.c, before the output is
 * drawn), so a window whose latest activity came before the capture has drawn nothing since.
 *
 * <p>{@code window_activity} counts whole seconds. A screen is reused only when the capture was sent after the
 * end of the second the current listing shows ({@code sentBefore ≥ activity + 1 s}): all the output up to
 * then was drawn before tmux ran the capture, and output after it would show as a later second. The time is
 * taken before the capture is written, from the wall clock tmux also stamps activity with, and tmux runs the
 * capture later, so the test errs towards capturing. The activity must also not be older than the one the
 * capture's listing showed (a clock stepped back, a pane moved to another window). A listing without an
 * activity (an empty value, read as the epoch) proves nothing.
 *
 * <p>What tmux does not count as activity (a resize re-wrapping a screen, {@code send-keys -R}) can stay
 * hidden for up to {@code maxAge}: an older screen is captured again anyway.
 *
 * <p>Written by the threads that deliver captures, read by the monitor: the entries live in the
 * {@code pane_content} cache layer (Caffeine, thread-safe, bounded), whose hits and misses count the lookups of
 * the proof (a hit: a screen was remembered; whether it was still current is the proof's business).
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
  private final Cache<AgentId, Entry> entries;

  ScreenCache(Duration maxAge, Cache<AgentId, Entry> entries) {
    this.maxAge = maxAge;
    this.entries = entries;
  }

  /**
   * Remembers a screen captured by a command written at {@code sentBefore}; {@code listed} is the pane as the
   * latest listing before that capture saw it (its activity is at most as new as the screen; for a capture
   * of a partial cycle, that listing may be several seconds older).
   */
  void remember(AgentPane listed, String text, Instant sentBefore) {
    // Each screen expires somewhere in the last quarter of maxAge, so that panes captured together (at
    // start-up) are not all captured again in the same cycle, every maxAge.
    long spreadNanos = maxAge.toNanos() / 4;
    Instant expires = sentBefore.plus(maxAge).minusNanos(ThreadLocalRandom.current().nextLong(spreadNanos + 1));
    entries.put(listed.key(), new Entry(text, sentBefore, listed.pane().windowActivity(), expires));
  }

  /** The capture of this pane failed: whatever was remembered must not stand in for it. */
  void forget(AgentId key) {
    entries.invalidate(key);
  }

  /** Keeps only the entries of these agents (the others' panes are gone). */
  void retain(Collection<AgentId> keys) {
    Set<AgentId> keep = Set.copyOf(keys);
    entries.asMap().keySet().removeIf(key -> !keep.contains(key));
  }

  /**
   * The remembered screen of {@code listed}, if its window has had no activity since it was captured, as the
   * listing made by {@code now} shows (and the screen is younger than {@code maxAge}, less up to a quarter).
   */
  Optional<String> unchanged(AgentPane listed, Instant now) {
    return proven(entries.getIfPresent(listed.key()), listed, now);
  }

  /** The last screen of this agent, current or not (for the API), without counting a lookup. */
  Optional<String> last(AgentId agent) {
    return Optional.ofNullable(entries.asMap().get(agent)).map(Entry::text);
  }

  private Optional<String> proven(Entry entry, AgentPane listed, Instant now) {
    if (entry == null || listed.pane().dead()) {
      return Optional.empty();
    }
    Instant activity = listed.pane().windowActivity();
    boolean quietSince = !activity.equals(Instant.EPOCH)
        && !activity.isBefore(entry.activity())
        && !entry.sentBefore().isBefore(activity.plus(ACTIVITY_RESOLUTION));
    boolean fresh = now.isBefore(entry.expires());
    return quietSince && fresh ? Optional.of(entry.text()) : Optional.empty();
  }

  /**
   * Whether a cycle should capture this agent up front, before its listing says whether the screen moved:
   * when the last listing ({@code lastListed}) already proves nothing, or its window was recently active.
   */
  boolean worthCapturing(AgentPane lastListed, Instant now) {
    // Not a lookup of the cache's statistics: the cycle's own planning, not a screen served.
    return proven(entries.asMap().get(lastListed.key()), lastListed, now).isEmpty()
        || lastListed.pane().windowActivity().plus(RECENTLY_ACTIVE).isAfter(now);
  }

  long size() {
    return entries.estimatedSize();
  }
}
