package dev.tmuxorc.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether a PID is a running tmux-orc: the process exists and its command line names tmux-orc. PIDs are reused,
 * so a PID file left by a crash may name some other program by now, which must never be signalled.
 */
public final class ProcessCheck {

  private ProcessCheck() {
  }

  /** What a recorded PID turned out to be. */
  public enum Verdict {
    /** A live tmux-orc process. */
    TMUX_ORC,
    /** No such process (or a zombie). */
    GONE,
    /** A live process that is something else (one whose command line stays empty too: a kernel thread). */
    OTHER
  }

  public static Verdict check(long pid) {
    return check(pid, Optional.empty());
  }

  /**
   * As {@link #check(long)}, for the process that wrote a record at {@code recordedAt}: a process that started
   * at another time is not the one that wrote it, whatever its command line (a reused PID, maybe another tmux-orc
   * command, or an editor with "tmux-orc" in a path).
   */
  public static Verdict check(long pid, Optional<Instant> recordedAt) {
    Verdict verdict = byCommandLine(pid);
    if (verdict == Verdict.TMUX_ORC && recordedAt.isPresent()) {
      Optional<Instant> started = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant());
      // start times have a coarse granularity (clock ticks): a little slack
      if (started.isPresent() && Duration.between(recordedAt.get(), started.get()).abs().getSeconds() > 2) {
        return Verdict.OTHER;
      }
    }
    return verdict;
  }

  private static Verdict byCommandLine(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return Verdict.GONE;
    }
    Optional<String> commandLine = commandLine(handle.get());
    // An empty /proc/PID/cmdline: a zombie (exited, not yet reaped), a kernel thread, or a process in the middle
    // of an exec, for a moment (121 of 414,074 reads of a starting monitor's in a tight loop): read it again.
    for (int i = 0; commandLine.isEmpty() && i < EMPTY_READS && !hasExited(handle.get()); i++) {
      LockSupport.parkNanos(EMPTY_READ_PAUSE_NANOS);
      commandLine = commandLine(handle.get());
    }
    if (commandLine.isEmpty()) {
      return hasExited(handle.get()) ? Verdict.GONE : Verdict.OTHER; // else live, and no tmux-orc
    }
    return looksLikeTmuxOrc(commandLine.get()) ? Verdict.TMUX_ORC : Verdict.OTHER;
  }

  /** How often an empty command line is read again, and how long apart. */
  private static final int EMPTY_READS = 5;
  private static final long EMPTY_READ_PAUSE_NANOS = 2_000_000;

  /**
   * Whether a command line runs tmux-orc: it names the main class ({@code dev.tmuxorc...}) or has a word
   * {@code tmux-orc}, {@code tmux-orc.jar} or {@code tmux-orc-...} (the launcher, the jar). Words, not
   * substrings: {@code less ~/.tmux-orchestrator/logs/monitor.log} is not tmux-orc.
   */
  static boolean looksLikeTmuxOrc(String commandLine) {
    if (commandLine.contains("dev.tmuxorc")) {
      return true;
    }
    for (String word : commandLine.split("[\\s=/:]+")) {
      if (word.equals("tmux-orc") || word.startsWith("tmux-orc.") || word.startsWith("tmux-orc-")) {
        return true;
      }
    }
    return false;
  }

  public static boolean isTmuxOrc(long pid) {
    return check(pid) == Verdict.TMUX_ORC;
  }

  /** Whether the process has exited: gone, or a zombie waiting for its parent to reap it. */
  public static boolean hasExited(ProcessHandle handle) {
    return !handle.isAlive() || isZombie(handle.pid());
  }

  /**
   * Whether the process has exited and waits to be reaped (state Z in /proc/PID/stat; false where there is no
   * /proc). Its command line is empty then, but so it can be for a moment while a live process execs.
   */
  public static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      int afterName = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
      return afterName >= 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false; // gone, or no /proc: the handle tells
    }
  }

  /** The full command line: /proc/PID/cmdline on Linux (exact), else what the JDK reports. */
  private static Optional<String> commandLine(ProcessHandle handle) {
    Path proc = Path.of("/proc", Long.toString(handle.pid()), "cmdline");
    if (Files.isDirectory(Path.of("/proc", "self"))) {
      try {
        String raw = new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        return raw.isEmpty() ? Optional.empty() : Optional.of(raw);
      } catch (IOException e) {
        return Optional.empty(); // gone meanwhile
      }
    }
    return handle.info().commandLine();
  }
}
