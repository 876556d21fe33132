package dev.tmuxorc.actions;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether actions (typing into panes, restarts) may run now: {@code monitor pause} closes the gate for a while,
 * {@code monitor resume} opens it again; observation goes on either way. Thread-safe: read by every action.
 */
public final class ActionGate {

  private final Clock clock;
  private final AtomicReference<Instant> pausedUntil = new AtomicReference<>();

  public ActionGate(Clock clock) {
    this.clock = clock;
  }

  public void pauseUntil(Instant until) {
    pausedUntil.set(until);
  }

  public void resume() {
    pausedUntil.set(null);
  }

  /** Until when actions are paused; empty when they may run. */
  public Optional<Instant> pausedUntil() {
    Instant until = pausedUntil.get();
    return until != null && until.isAfter(clock.instant()) ? Optional.of(until) : Optional.empty();
  }

  public boolean paused() {
    return pausedUntil().isPresent();
  }
}
