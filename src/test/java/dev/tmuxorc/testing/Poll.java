package dev.tmuxorc.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Waiting for what a running system will do: polled, with a generous limit, never a timing assertion. */
public final class Poll {

  private Poll() {
  }

  /** Polls {@code value} until {@code done} holds; fails after {@code patience} with the last value seen. */
  public static <T> T until(Supplier<T> value, Predicate<T> done, String what, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    T last = value.get();
    while (!done.test(last)) {
      if (System.nanoTime() > deadline) {
        fail("waited " + patience + " for " + what + "; last seen: " + last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      last = value.get();
    }
    return last;
  }
}
