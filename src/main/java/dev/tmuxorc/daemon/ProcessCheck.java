package dev.tmuxorc.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

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
    /** A live process that is something else: the PID was reused. */
    OTHER
  }

  public static Verdict check(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return Verdict.GONE;
    }
    Optional<String> commandLine = commandLine(handle.get());
    if (commandLine.isEmpty()) {
      // a zombie has an empty /proc/PID/cmdline: it is no longer running anything
      return Verdict.GONE;
    }
    String line = commandLine.get();
    return line.contains("dev.tmuxorc") || line.contains("tmux-orc") ? Verdict.TMUX_ORC : Verdict.OTHER;
  }

  public static boolean isTmuxOrc(long pid) {
    return check(pid) == Verdict.TMUX_ORC;
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
