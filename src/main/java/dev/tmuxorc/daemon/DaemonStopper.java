package dev.tmuxorc.daemon;

import dev.tmuxorc.config.BaseDir;
import java.time.Duration;
import java.util.Optional;

/** Stops the recorded monitor with SIGTERM (its CoordinatedShutdown runs) and waits until it has exited. */
public final class DaemonStopper {

  private DaemonStopper() {
  }

  /** What a stop did. */
  public sealed interface Outcome {
  }

  /** It ran and exited within the timeout; its files are gone. */
  public record Stopped(long pid, Duration took) implements Outcome { }

  /** It ran and still runs after the timeout (SIGTERM was sent). */
  public record StillRunning(long pid, Duration waited) implements Outcome { }

  /** It runs but could not be signalled (another user's process). */
  public record NotPermitted(long pid) implements Outcome { }

  /** Nothing was recorded. */
  public record NotRunning() implements Outcome { }

  /** A record naming no live tmux-orc was found and removed; nothing was signalled. */
  public record StaleRemoved(DaemonState.Stale stale) implements Outcome { }

  public static Outcome stop(BaseDir base, Duration timeout) throws InterruptedException {
    DaemonState state = DaemonState.of(base);
    if (state instanceof DaemonState.Absent) {
      return new NotRunning();
    }
    if (state instanceof DaemonState.Stale stale) {
      stale.record().removeIfOurs(base); // only if still the stale one: a new monitor may have just recorded itself
      return new StaleRemoved(stale);
    }
    DaemonRecord record = ((DaemonState.Running) state).record();
    long started = System.nanoTime();
    Optional<ProcessHandle> process = ProcessHandle.of(record.pid());
    boolean signalled = process.map(ProcessHandle::destroy).orElse(true); // SIGTERM
    if (!signalled && process.get().isAlive()) {
      return new NotPermitted(record.pid());
    }
    long deadline = started + timeout.toNanos();
    // onExit() of a process that is not our child polls with growing sleeps (~2 s late): poll faster
    while (process.map(ProcessHandle::isAlive).orElse(false) && ProcessCheck.isTmuxOrc(record.pid())) {
      if (System.nanoTime() > deadline) {
        return new StillRunning(record.pid(), timeout);
      }
      Thread.sleep(50);
    }
    record.removeIfOurs(base); // a monitor killed before its shutdown task ran leaves them behind
    return new Stopped(record.pid(), Duration.ofNanos(System.nanoTime() - started));
  }
}
