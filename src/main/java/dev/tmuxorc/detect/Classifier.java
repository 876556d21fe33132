package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.tmuxorc.discovery.AgentKind;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Classifies one captured agent screen into an {@link AgentState}, judging only the live region at the bottom.
 *
 * <p>Precedence, first match wins: pane dead, crashed (shell prompt or crash text below the agent's last frame),
 * waiting (a dialog marker or a selection list below any live prompt), working (busy marker), rate_limited, error,
 * unsubmitted (typed prompt), starting (welcome banner, no transcript), idle (empty prompt), unknown. A dialog
 * blocks everything until a human answers, so it beats the spinner; a live spinner means the agent carries on,
 * so it beats limit and error banners (e.g. "API Error … retrying"); a banner beats typed text because holding a
 * limited agent matters more than noticing a draft.
 */
public final class Classifier implements ScreenClassifier {

  private static final String WHERE = "tmux-orc.detection";
  private static final MarkerSet NO_MARKERS = new MarkerSet(List.of());

  private final int liveRegionLines;
  private final CrashSigns crashSigns;
  private final ResetClock resetClock;
  private final Map<AgentKind, KindMarkers> markersByKind;

  private Classifier(
      int liveRegionLines, CrashSigns crashSigns, ResetClock resetClock, Map<AgentKind, KindMarkers> markersByKind) {
    this.liveRegionLines = liveRegionLines;
    this.crashSigns = crashSigns;
    this.resetClock = resetClock;
    this.markersByKind = markersByKind;
  }

  /** Built once from the `tmux-orc.detection` config subtree (the Config object AT that path). */
  public static Classifier fromConfig(Config detection) {
    int liveRegionLines = detection.getInt("live-region-lines");
    if (liveRegionLines < 1) {
      throw new ConfigException.BadValue(WHERE + ".live-region-lines", "must be at least 1");
    }
    Config kinds = detection.getConfig("kinds");
    Config fallback = kinds.getConfig("default");
    Map<AgentKind, KindMarkers> markersByKind = new EnumMap<>(AgentKind.class);
    for (AgentKind kind : AgentKind.values()) {
      String name = kind.wireName();
      // a kind block may leave out keys: they come from kinds.default
      Config own = kinds.hasPath(name) ? kinds.getConfig(name).withFallback(fallback) : fallback;
      markersByKind.put(kind, KindMarkers.fromConfig(own, WHERE + ".kinds." + name));
    }
    return new Classifier(
        liveRegionLines,
        CrashSigns.fromConfig(detection, WHERE),
        ResetClock.fromConfig(detection, WHERE),
        markersByKind);
  }

  /** Classifies one captured visible screen. `now` gives the local time zone and the reference instant for reset-time parsing. */
  @Override
  public Observation classify(String screen, PaneFacts facts, ZonedDateTime now) {
    if (facts.dead()) {
      return Observation.of(AgentState.CRASHED, new Evidence("pane-dead", "#{pane_dead}", 0, ""));
    }
    Screen lines = Screen.of(screen);
    if (lines.size() == 0) {
      return Observation.of(AgentState.UNKNOWN);
    }
    KindMarkers markers = markersByKind.get(facts.kind());
    Optional<Evidence> crash = crashSigns.find(lines, markers, facts.currentCommand(), liveRegionLines);
    if (crash.isPresent()) {
      return Observation.of(AgentState.CRASHED, crash.get());
    }
    LiveRegion region = LiveRegion.locate(lines, markers, liveRegionLines);
    int belowPrompt = region.hasPrompt() ? Math.max(region.start(), region.inputEnd()) : region.start();
    Optional<Evidence> found =
        lastMatch(lines, region, markers.waiting(), "waiting", markers.quoted(), belowPrompt)
            // a dialog whose wording no marker knows still has the shape of one
            .or(() -> SelectionList.find(lines, markers, selectionFrom(lines, region, markers)));
    if (found.isPresent()) {
      return Observation.of(AgentState.WAITING, found.get());
    }
    found = lastMatch(lines, region, markers.working(), "working", markers.quoted(), region.start());
    if (found.isPresent()) {
      return Observation.of(AgentState.WORKING, found.get());
    }
    // limit and error banners are printed as quoted tool results ("⎿  API Error: 401"), so quoting is no excuse
    found = lastMatch(lines, region, markers.rateLimited(), "rate-limited", NO_MARKERS, region.start());
    if (found.isPresent()) {
      return new Observation(AgentState.RATE_LIMITED, List.of(found.get()), resetAt(lines, region, now));
    }
    found = lastMatch(lines, region, markers.error(), "error", NO_MARKERS, region.start());
    if (found.isPresent()) {
      return Observation.of(AgentState.ERROR, found.get());
    }
    if (region.hasPrompt() && !region.typed().isEmpty()) {
      return Observation.of(AgentState.UNSUBMITTED, promptEvidence(lines, region, "typed-prompt"));
    }
    Optional<Evidence> welcome = welcome(lines, region, markers);
    if (welcome.isPresent()) {
      List<Evidence> evidence = new ArrayList<>(List.of(welcome.get()));
      if (region.hasPrompt()) {
        evidence.add(promptEvidence(lines, region, "empty-prompt"));
      }
      return new Observation(AgentState.STARTING, evidence, Optional.empty());
    }
    if (region.hasPrompt()) {
      return Observation.of(AgentState.IDLE, promptEvidence(lines, region, "empty-prompt"));
    }
    return Observation.of(AgentState.UNKNOWN);
  }

  /**
   * What is typed in the live prompt of a screen (its first line of typed text; a placeholder counts as nothing):
   * "" for an empty prompt, empty when no live prompt is on screen. Actions type only into an empty prompt.
   */
  public Optional<String> promptInput(String screen, AgentKind kind) {
    Screen lines = Screen.of(screen);
    LiveRegion region = LiveRegion.locate(lines, markersByKind.get(kind), liveRegionLines);
    return region.hasPrompt() ? Optional.of(region.typed()) : Optional.empty();
  }

  // A selection list counts below a framed prompt's input; an unframed prompt line may be the list's cursor line
  // ("> 1. Yes"), so there the list may start on it.
  private int selectionFrom(Screen screen, LiveRegion region, KindMarkers markers) {
    int from = Math.max(0, screen.size() - liveRegionLines);
    if (!region.hasPrompt()) {
      return from;
    }
    return Math.max(from, markers.framed() ? region.inputEnd() : region.prompt());
  }

  // Bottom-up, so the evidence is the most recent matching line.
  private static Optional<Evidence> lastMatch(
      Screen screen, LiveRegion region, MarkerSet markers, String rule, MarkerSet ignored, int from) {
    for (int i = screen.size() - 1; i >= from; i--) {
      if (region.isInput(i)) {
        continue;
      }
      String line = screen.line(i);
      if (ignored.foundIn(line)) {
        continue;
      }
      Optional<Marker> marker = markers.firstIn(line);
      if (marker.isPresent()) {
        return Optional.of(screen.evidence(rule, marker.get().source(), i));
      }
    }
    return Optional.empty();
  }

  private Optional<Instant> resetAt(Screen screen, LiveRegion region, ZonedDateTime now) {
    for (int i = region.start(); i < screen.size(); i++) {
      if (!region.isInput(i)) {
        Optional<Instant> at = resetClock.resetAt(screen.line(i), now);
        if (at.isPresent()) {
          return at;
        }
      }
    }
    return Optional.empty();
  }

  // The welcome banner scrolls away slowly, so it means starting only while no transcript entry exists.
  private static Optional<Evidence> welcome(Screen screen, LiveRegion region, KindMarkers markers) {
    Optional<Evidence> banner = Optional.empty();
    for (int i = 0; i < region.transcriptEnd(screen); i++) {
      String line = screen.line(i);
      if (markers.isTranscript(line)) {
        return Optional.empty();
      }
      if (banner.isEmpty()) {
        Optional<Marker> marker = markers.welcome().firstIn(line);
        if (marker.isPresent()) {
          banner = Optional.of(screen.evidence("welcome", marker.get().source(), i));
        }
      }
    }
    return banner;
  }

  private static Evidence promptEvidence(Screen screen, LiveRegion region, String rule) {
    String marker =
        region.placeholder().map(Marker::source)
            .or(() -> region.promptPattern().map(PromptPattern::source))
            .orElse("");
    return screen.evidence(rule, marker, region.prompt());
  }
}
