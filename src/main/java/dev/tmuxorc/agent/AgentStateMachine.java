package dev.tmuxorc.agent;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.detect.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Combines observations of one agent over time into its state and health (pure; the Agent actor drives it).
 *
 * <ul>
 *   <li>{@code working}, {@code waiting}, {@code error}, {@code starting}, {@code rate_limited} apply at once.</li>
 *   <li>{@code idle} and {@code unsubmitted} apply only once the screen has stopped changing: the same
 *       verdict twice in a row on an unchanged screen, or a screen unchanged for the debounce (a prompt being
 *       typed, or output still flowing, must not read as idle).</li>
 *   <li>{@code crashed} applies at once when the pane is dead; from screen text only when a second capture
 *       confirms it (false crash verdicts made earlier tools kill healthy windows).</li>
 *   <li>A screen the classifier does not recognise but that changed since the previous capture, twice in a row,
 *       is output still flowing: {@code working} (evidence {@code output-flowing}). A flood of build output has
 *       no spinner and no prompt, and must not leave the agent looking idle; one such capture alone may be a
 *       frame caught half-drawn, so the first only asks for a confirmation capture.</li>
 *   <li>{@code rate_limited} holds until its reset time against every verdict but {@code working} (the agent
 *       visibly resumed) and a dead pane.</li>
 * </ul>
 * A failed check is a capture that failed or a verdict of {@code error} or {@code crashed}; health is
 * {@code warning} from 2 consecutive failed checks, {@code critical} from {@code max-failures}, and
 * {@code unresponsive} when the last {@code max-failures} captures were all impossible. One good check resets it.
 */
public final class AgentStateMachine {

  /**
   * Tuning of the rules above; {@code confirmDelay} is when a pending verdict asks for its confirmation
   * capture (a second look at an unchanged screen is enough, so it can come well before the debounce).
   */
  public record Rules(Duration debounce, int maxFailures, Duration confirmDelay) {
    public static Rules of(Settings.Monitoring monitoring) {
      return new Rules(monitoring.idleDebounce(), monitoring.maxFailures(), monitoring.confirmDelay());
    }

    public static Rules defaults() {
      return new Rules(Duration.ofMillis(1500), 3, Duration.ofMillis(500));
    }
  }

  /** What one input changed; {@code confirmAfter} asks the caller to capture again after that delay. */
  public record Outcome(Optional<Change<AgentState>> stateChange, Optional<Change<Health>> healthChange,
      Optional<Duration> confirmAfter) {
    static final Outcome NOTHING = new Outcome(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A transition from one value to another. */
  public record Change<T>(T from, T to) { }

  private final Rules rules;
  private final StateBook book;
  private Instant lastChange;
  // The last screen itself rather than a hash of it: String.equals is a vectorised compare, cheaper than
  // hashing every character of every capture, for a few KB per agent.
  private String lastScreen;
  private boolean unknownAndChanged;
  private AgentState lastVerdict = AgentState.UNKNOWN;
  private int consecutiveFailures;
  private int consecutiveCaptureFailures;
  private Health health = Health.HEALTHY;

  public AgentStateMachine(Rules rules, Instant firstSeen) {
    this.rules = rules;
    this.book = new StateBook(firstSeen);
    this.lastChange = firstSeen;
  }

  /** A captured screen and the classifier's verdict on it. */
  public Outcome observe(String screen, Observation observation, Instant at) {
    boolean firstScreen = lastScreen == null;
    boolean changed = firstScreen || !screen.equals(lastScreen);
    boolean flowing = observation.state() == AgentState.UNKNOWN && changed && !firstScreen;
    boolean flowingBefore = unknownAndChanged;
    unknownAndChanged = flowing;
    if (changed) {
      lastChange = at;
    }
    // Also on the first look at a change below: the next capture must compare with this screen, not the one
    // before it (else a screen that changed once and then stood still would count as changing twice). The newest
    // copy when equal: the agent and the screen cache hold that one too.
    lastScreen = screen;
    if (flowing && !flowingBefore) {
      lastVerdict = AgentState.UNKNOWN; // verdicts that need two looks in a row must see this one between
      return new Outcome(Optional.empty(), checkSucceeded(), Optional.of(rules.confirmDelay()));
    }
    if (flowing) {
      observation = Observation.of(AgentState.WORKING,
          new Evidence("output-flowing", "", 0, "the screen changed on two captures in a row"));
    }
    AgentState verdict = observation.state();
    AgentState previousVerdict = lastVerdict;
    lastVerdict = verdict;

    Optional<Change<Health>> healthChange = verdict == AgentState.ERROR || verdict == AgentState.CRASHED
        ? checkFailed(false) : checkSucceeded();

    boolean holdRateLimit = book.state() == AgentState.RATE_LIMITED && book.resetAt().map(at::isBefore).orElse(false)
        && verdict != AgentState.WORKING && verdict != AgentState.RATE_LIMITED;
    if (holdRateLimit) {
      return new Outcome(Optional.empty(), healthChange, Optional.empty());
    }
    Optional<Duration> confirm = Optional.empty();
    boolean accept = switch (verdict) {
      case IDLE, UNSUBMITTED -> {
        boolean settled = (previousVerdict == verdict && !changed)
            || Duration.between(lastChange, at).compareTo(rules.debounce()) >= 0;
        if (!settled) {
          confirm = Optional.of(rules.confirmDelay());
        }
        yield settled;
      }
      case CRASHED -> {
        if (previousVerdict != AgentState.CRASHED) {
          confirm = Optional.of(rules.confirmDelay());
        }
        yield previousVerdict == AgentState.CRASHED;
      }
      case UNKNOWN -> book.state() == AgentState.UNKNOWN;
      default -> true;
    };
    Optional<Change<AgentState>> stateChange = Optional.empty();
    if (accept) {
      // Keep the first reset time: "resets 3pm" read after 3pm would roll over to tomorrow.
      Optional<Instant> resetAt = verdict != AgentState.RATE_LIMITED ? Optional.empty()
          : book.state() == AgentState.RATE_LIMITED && book.resetAt().isPresent() ? book.resetAt()
          : observation.resetAt();
      stateChange = book.set(verdict, observation.evidence(), resetAt, at);
    }
    return new Outcome(stateChange, healthChange, confirm);
  }

  /** The pane's process is gone ({@code pane_dead}): crashed at once, no confirmation needed. */
  public Outcome paneDead(Optional<Integer> exitStatus, Instant at) {
    lastVerdict = AgentState.CRASHED;
    List<Evidence> evidence = List.of(new Evidence("pane-dead", "#{pane_dead}=1", 0,
        exitStatus.map(s -> "pane exited with status " + s).orElse("pane is dead")));
    Optional<Change<Health>> health = checkFailed(false);
    return new Outcome(book.set(AgentState.CRASHED, evidence, Optional.empty(), at), health, Optional.empty());
  }

  /** The capture could not be made. */
  public Outcome captureFailed(Instant at) {
    return new Outcome(Optional.empty(), checkFailed(true), Optional.empty());
  }

  private Optional<Change<Health>> checkFailed(boolean captureImpossible) {
    consecutiveFailures++;
    consecutiveCaptureFailures = captureImpossible ? consecutiveCaptureFailures + 1 : 0;
    Health next;
    if (consecutiveCaptureFailures >= rules.maxFailures()) {
      next = Health.UNRESPONSIVE;
    } else if (consecutiveFailures >= rules.maxFailures()) {
      next = Health.CRITICAL;
    } else if (consecutiveFailures >= 2) {
      next = Health.WARNING;
    } else {
      next = health;
    }
    return setHealth(next);
  }

  private Optional<Change<Health>> checkSucceeded() {
    consecutiveFailures = 0;
    consecutiveCaptureFailures = 0;
    return setHealth(Health.HEALTHY);
  }

  private Optional<Change<Health>> setHealth(Health next) {
    if (next == health) {
      return Optional.empty();
    }
    Change<Health> change = new Change<>(health, next);
    health = next;
    return Optional.of(change);
  }

  public AgentState state() {
    return book.state();
  }

  public AgentState previousState() {
    return book.previousState();
  }

  public Health health() {
    return health;
  }

  public Instant since() {
    return book.since();
  }

  /** When the screen last changed (the agent's last visible activity). */
  public Instant lastChange() {
    return lastChange;
  }

  public List<Evidence> evidence() {
    return book.evidence();
  }

  public Optional<Instant> resetAt() {
    return book.resetAt();
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** The verdict of the last screen looked at, accepted or not (unknown after a frame caught half-drawn). */
  public AgentState lastVerdict() {
    return lastVerdict;
  }

  /** Time spent in each state so far, the current one counted up to {@code now}. */
  public Map<AgentState, Duration> timeInState(Instant now) {
    return book.timeInState(now);
  }
}
