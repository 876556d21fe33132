package dev.tmuxorc.monitor;

import java.time.Duration;
import java.util.Locale;

/**
 * What the monitor reports as it works, to whoever counts it (the Prometheus metrics). Called on the monitor's
 * thread and, for captures, on the threads that deliver them: implementations are thread-safe and quick.
 */
public interface CycleObserver {

  /** Whether a cycle ran discovery and every agent's capture, or captured only the panes that changed. */
  enum CycleKind {
    FULL,
    PARTIAL;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  CycleObserver NONE = new CycleObserver() { };

  default void cycleSucceeded(CycleKind kind, Duration took) { }

  default void cycleFailed() { }

  default void cycleSkipped() { }

  default void captureSucceeded() { }

  default void captureFailed() { }

  default void screenReused() { }

  /** A hook event reached its agent. */
  default void hookRouted() { }

  /** A hook event was dropped: no agent for it within the hold, or too many waiting. */
  default void hookDropped() { }
}
