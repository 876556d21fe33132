package dev.tmuxorc.agent;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.detect.HookMeaning;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Fuses one agent's hook readings with its screen into one state and the rule that decided it (pure; the Agent
 * actor drives it). The rules, in order (docs/detection.md, "Fusion"):
 * <ol>
 *   <li>No hook reading in force (none came, the last meant {@code left}, the hooks are silent, or the reading
 *       went stale), or a crash the screen confirmed: the screen decides ({@code screen}).</li>
 *   <li>Hooks say {@code working}: the screen overrides them only with a dialog or a rate limit on screen, which
 *       no hook reports ({@code screen-over-hook}: an AskUserQuestion picker is waiting, not running); otherwise
 *       working ({@code hook}), even if the screen reads idle (the screen misread after a UI release).</li>
 *   <li>Hooks say {@code starting}: any screen verdict wins over it.</li>
 *   <li>Hooks say idle, waiting, rate_limited or error: the screen wins when it moved on after the event (changed
 *       later than {@code echo} after it) and reads another state ({@code screen-after-hook}: a live spinner
 *       after a Stop, a permission answered); otherwise the hook ({@code hook}).</li>
 * </ol>
 * In rules 2 and 3 the screen overrides the hook only with a capture made at or after the hook event: a reading
 * from before it shows what the event answered or ended (the dialog a PostToolUse follows, the limit before a
 * UserPromptSubmit, the prompt before a SessionStart of /clear), and the next capture decides again. Rule 4 asks
 * for a screen that changed after the event anyway.
 * Beside the state it raises two flags: {@link AgentFlag#STALLED} when hooks said working and neither a hook nor
 * the screen moved for {@code stalled-after} (the reading then goes stale: Stop never fires on some interrupts),
 * and {@link AgentFlag#HOOKS_SILENT} when a claude agent whose hooks flowed turned to working on screen and no
 * hook came within {@code silence-after}. Readings that differ for {@code disagree-after} are a disagreement.
 */
final class SignalFusion {

  /** The settings of the fusion ({@code tmux-orc.hooks}). */
  record Tuning(Duration stalledAfter, Duration silenceAfter, Duration echo, Duration disagreeAfter) {
    static Tuning of(Settings.Hooks hooks) {
      return new Tuning(hooks.stalledAfter(), hooks.silenceAfter(), hooks.echo(), hooks.disagreeAfter());
    }

    static Tuning defaults() {
      return new Tuning(Duration.ofMinutes(2), Duration.ofMinutes(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }
  }

  /**
   * The screen's reading: the state the screen's own rules accepted, its evidence, its last change, and when the
   * screen was last captured ({@code seenAt}: the reading is as old as that capture).
   */
  record ScreenReading(AgentState state, List<Evidence> evidence, Optional<Instant> resetAt, Instant lastChange,
      Instant seenAt) { }

  /** The fused state, its evidence (the deciding rule first) and reset time. */
  record Verdict(AgentState state, List<Evidence> evidence, Optional<Instant> resetAt) {
    String rule() {
      return evidence.isEmpty() ? "none" : evidence.get(0).rule();
    }
  }

  /** A flag raised or cleared, and why. */
  record FlagChange(AgentFlag flag, boolean on, String reason) { }

  /** Hook and screen readings that differed for {@code disagree-after}, and what was decided. */
  record Disagreement(HookReading hook, AgentState hookState, AgentState screenState, List<Evidence> screenEvidence,
      Verdict decided) { }

  /** What one update found: the verdict, flags changed, a disagreement to report, when to look again. */
  record Step(Verdict verdict, List<FlagChange> flags, Optional<Disagreement> disagreement,
      Optional<Instant> nextCheck) { }

  private final Tuning tuning;
  private HookReading reading; // the last hook event that meant something (ignore does not replace it)
  private Instant lastHookAt;  // the last hook event of any meaning
  private boolean stale;
  private boolean claudeHooksFlowed;
  private Instant unansweredSince; // the screen turned to working, no hook came around it yet
  private boolean silent;
  private boolean stalled;
  private Instant stalledScreenAt;
  private String disagreeKind;
  private Instant disagreeSince;
  private boolean disagreeReported;

  SignalFusion(Tuning tuning) {
    this.tuning = tuning;
  }

  /** A hook event arrived: any event is a sign of life (silence and stall end); a meaningful one is the reading. */
  void hook(HookReading hook) {
    lastHookAt = hook.at();
    unansweredSince = null;
    stale = false; // even an ignored event (SubagentStop...): the stalled working reading counts again
    if ("claude".equals(hook.source())) {
      claudeHooksFlowed = true;
    }
    if (hook.meaning() != HookMeaning.IGNORE) {
      reading = hook;
    }
  }

  /** The screen's own state changed: a turn to working must be answered by a hook soon, if hooks flow. */
  void screenChanged(AgentState from, AgentState to, Instant at) {
    boolean expectingHooks = claudeHooksFlowed && !silent && !left();
    if (to == AgentState.WORKING && from != AgentState.WORKING && expectingHooks && unansweredSince == null
        && (lastHookAt == null || lastHookAt.isBefore(at.minus(tuning.silenceAfter())))) {
      unansweredSince = at;
    }
  }

  /** Re-judges everything at {@code now} against the screen's reading. */
  Step update(ScreenReading screen, Instant now) {
    if (lastHookAt == null) { // no hook ever: the screen alone, nothing to watch (most agents, every capture)
      return new Step(new Verdict(screen.state(), screen.evidence(), screen.resetAt()), List.of(), Optional.empty(),
          Optional.empty());
    }
    List<FlagChange> flags = new ArrayList<>(2);
    checkSilence(now, flags);
    checkStall(screen, now, flags);
    Verdict verdict = verdict(screen);
    Optional<Disagreement> disagreement = disagreement(screen, verdict, now);
    return new Step(verdict, List.copyOf(flags), disagreement, nextCheck(screen));
  }

  private void checkSilence(Instant now, List<FlagChange> flags) {
    if (silent && unansweredSince == null) {
      silent = false;
      flags.add(new FlagChange(AgentFlag.HOOKS_SILENT, false, "a hook event arrived"));
    } else if (!silent && unansweredSince != null && !now.isBefore(unansweredSince.plus(tuning.silenceAfter()))) {
      silent = true;
      flags.add(new FlagChange(AgentFlag.HOOKS_SILENT, true, "the screen turned to working at " + unansweredSince
          + " and no hook event came within " + human(tuning.silenceAfter()) + ": the screen decides alone"));
    }
  }

  private void checkStall(ScreenReading screen, Instant now, List<FlagChange> flags) {
    if (stalled && (screen.lastChange().isAfter(stalledScreenAt) || !stale)) {
      stalled = false;
      flags.add(new FlagChange(AgentFlag.STALLED, false,
          stale ? "the screen changed" : "a hook event arrived"));
    } else if (!stalled && stallDeadline(screen).map(deadline -> !now.isBefore(deadline)).orElse(false)) {
      stalled = true;
      stale = true;
      stalledScreenAt = screen.lastChange();
      flags.add(new FlagChange(AgentFlag.STALLED, true, "hooks said working (" + reading.key() + " at "
          + reading.at() + ") and neither a hook event nor the screen moved for " + human(tuning.stalledAfter())));
    }
  }

  // When the hooks' working goes stale unless a hook or the screen moves: the later of the two plus stalled-after.
  private Optional<Instant> stallDeadline(ScreenReading screen) {
    HookReading hook = inForce();
    if (hook == null || hook.meaning() != HookMeaning.WORKING) {
      return Optional.empty();
    }
    Instant last = screen.lastChange().isAfter(lastHookAt) ? screen.lastChange() : lastHookAt;
    return Optional.of(last.plus(tuning.stalledAfter()));
  }

  private Verdict verdict(ScreenReading screen) {
    HookReading hook = inForce();
    AgentState seen = screen.state();
    if (hook == null || seen == AgentState.CRASHED) {
      if (stalled && (seen == AgentState.UNKNOWN || seen == AgentState.WORKING)) {
        return new Verdict(AgentState.WORKING, prepend(stalledEvidence(seen), screen.evidence()), Optional.empty());
      }
      return stalled ? new Verdict(seen, prepend(stalledEvidence(seen), screen.evidence()), screen.resetAt())
          : new Verdict(seen, screen.evidence(), screen.resetAt());
    }
    AgentState said = hook.meaning().state().orElseThrow();
    // a capture made before the hook event shows what the event answered or ended: it does not override it
    boolean fresh = !screen.seenAt().isBefore(hook.at());
    if (said == AgentState.WORKING) {
      if ((seen == AgentState.WAITING || seen == AgentState.RATE_LIMITED) && fresh) {
        return screenWins("screen-over-hook", hook, screen, "the screen shows " + seen + ", which no hook reports");
      }
      return hookWins(hook, screen);
    }
    boolean movedOn = screen.lastChange().isAfter(hook.at().plus(tuning.echo()));
    boolean other = seen != AgentState.UNKNOWN && seen != said;
    if (other && ((said == AgentState.STARTING && fresh) || movedOn)) {
      return screenWins("screen-after-hook", hook, screen, "the screen moved on after the hook event and reads "
          + seen);
    }
    return hookWins(hook, screen);
  }

  private Verdict hookWins(HookReading hook, ScreenReading screen) {
    AgentState said = hook.meaning().state().orElseThrow();
    Evidence rule = new Evidence("hook", hook.key(), 0, "hook " + hook.key() + " (" + hook.source() + ") at "
        + hook.at() + " says " + said + "; the screen reads " + screen.state());
    Optional<Instant> resetAt = said == AgentState.RATE_LIMITED && screen.state() == AgentState.RATE_LIMITED
        ? screen.resetAt() : Optional.empty();
    return new Verdict(said, prepend(rule, screen.evidence()), resetAt);
  }

  private static Verdict screenWins(String name, HookReading hook, ScreenReading screen, String why) {
    Evidence rule = new Evidence(name, hook.key(), 0, "hook " + hook.key() + " at " + hook.at() + " says "
        + hook.meaning() + "; " + why);
    return new Verdict(screen.state(), prepend(rule, screen.evidence()), screen.resetAt());
  }

  private Evidence stalledEvidence(AgentState seen) {
    return new Evidence("stalled", reading.key(), 0, "hooks said working (" + reading.key() + " at " + reading.at()
        + "), then nothing moved for " + human(tuning.stalledAfter()) + "; the screen reads " + seen);
  }

  private Optional<Disagreement> disagreement(ScreenReading screen, Verdict verdict, Instant now) {
    HookReading hook = inForce();
    AgentState said = hook == null ? null : hook.meaning().state().orElseThrow();
    if (hook == null || said == AgentState.STARTING || screen.state() == AgentState.UNKNOWN
        || screen.state() == said) {
      disagreeKind = null;
      return Optional.empty();
    }
    String kind = said + "/" + screen.state();
    if (!kind.equals(disagreeKind)) {
      disagreeKind = kind;
      disagreeSince = now;
      disagreeReported = false;
    }
    if (disagreeReported || now.isBefore(disagreeSince.plus(tuning.disagreeAfter()))) {
      return Optional.empty();
    }
    disagreeReported = true;
    return Optional.of(new Disagreement(hook, said, screen.state(), screen.evidence(), verdict));
  }

  private Optional<Instant> nextCheck(ScreenReading screen) {
    Optional<Instant> stall = stalled ? Optional.empty() : stallDeadline(screen);
    Optional<Instant> silence = silent || unansweredSince == null ? Optional.empty()
        : Optional.of(unansweredSince.plus(tuning.silenceAfter()));
    Optional<Instant> disagree = disagreeKind == null || disagreeReported ? Optional.empty()
        : Optional.of(disagreeSince.plus(tuning.disagreeAfter()));
    return Stream.of(stall, silence, disagree).flatMap(Optional::stream).min(Instant::compareTo);
  }

  /** The hook reading that takes part in the verdict, or null. */
  private HookReading inForce() {
    return reading == null || stale || silent || left() ? null : reading;
  }

  private boolean left() {
    return reading != null && reading.meaning() == HookMeaning.LEFT;
  }

  /** The last meaningful hook reading, in force or not (for explain). */
  Optional<HookReading> reading() {
    return Optional.ofNullable(reading);
  }

  /** When the last hook event of any meaning came. */
  Optional<Instant> lastHookAt() {
    return Optional.ofNullable(lastHookAt);
  }

  /** Whether the last reading takes part in the verdict (not stale, silent, nor a session end). */
  boolean readingInForce() {
    return inForce() != null;
  }

  boolean stalled() {
    return stalled;
  }

  boolean silent() {
    return silent;
  }

  private static List<Evidence> prepend(Evidence first, List<Evidence> rest) {
    List<Evidence> all = new ArrayList<>(rest.size() + 1);
    all.add(first);
    all.addAll(rest);
    return List.copyOf(all);
  }

  private static String human(Duration duration) {
    return duration.toSeconds() % 60 == 0 && duration.toMinutes() > 0 ? duration.toMinutes() + " min"
        : duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
  }
}
