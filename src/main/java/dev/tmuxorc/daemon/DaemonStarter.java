package dev.tmuxorc.daemon;

import dev.tmuxorc.config.BaseDir;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Starts a detached monitor and waits until it is ready: it has recorded itself in {@code BASE/monitor.json}
 * and its API answers {@code /health/ready} with 200. A monitor that exits or is not ready in time is stopped,
 * and what it wrote is returned for the user to read.
 */
public final class DaemonStarter {

  /** Lines of the daemon's output shown when it failed to start. */
  public static final int TAIL_LINES = 20;

  private final BaseDir base;
  private final DaemonCommandLine commandLine;
  private final Predicate<DaemonRecord> ready;

  /**
   * @param ready whether the recorded monitor answers as ready; {@link #healthReady(Optional)} in production
   */
  public DaemonStarter(BaseDir base, DaemonCommandLine commandLine, Predicate<DaemonRecord> ready) {
    this.base = base;
    this.commandLine = commandLine;
    this.ready = ready;
  }

  /** Ready when {@code GET /health/ready} answers 200. */
  public static Predicate<DaemonRecord> healthReady(Optional<String> token) {
    return record -> {
      if (record.url() == null || record.url().isBlank()) {
        return false;
      }
      try {
        return new DaemonClient(java.net.URI.create(record.url()), token).probe("/health/ready").status() == 200;
      } catch (DaemonUnavailableException e) {
        return false;
      }
    };
  }

  /** What a start did. */
  public sealed interface Outcome {
  }

  /** Started and ready; {@code staleRemoved} when a stale record had to be replaced. */
  public record Started(DaemonRecord record, Duration took, Optional<DaemonState.Stale> staleRemoved)
      implements Outcome { }

  /** One runs already: nothing was started. */
  public record AlreadyRunning(DaemonRecord record) implements Outcome { }

  /** Another start holds the lock. */
  public record StartInProgress() implements Outcome { }

  /**
   * The monitor exited during start-up or was not ready in time (then it was stopped); the last lines of its
   * output ({@code monitor.out}) and log ({@code monitor.log}) written since this start.
   */
  public record Failed(long pid, String reason, List<String> output, List<String> log) implements Outcome { }

  /** Starts a monitor running tmux-orc {@code args} and waits up to {@code timeout} for it to be ready. */
  public Outcome start(List<String> args, Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(base.logs());
    try (FileChannel channel = FileChannel.open(base.startLock(), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
      if (lock == null) {
        return new StartInProgress();
      }
      DaemonState state = DaemonState.of(base);
      if (state instanceof DaemonState.Running running) {
        return new AlreadyRunning(running.record());
      }
      Optional<DaemonState.Stale> stale = Optional.empty();
      if (state instanceof DaemonState.Stale s) {
        s.record().removeIfOurs(base); // its process is gone or another program: only its files go
        stale = Optional.of(s);
      }
      return launch(args, timeout, stale);
    }
  }

  private Outcome launch(List<String> args, Duration timeout, Optional<DaemonState.Stale> stale)
      throws IOException, InterruptedException {
    Path out = base.monitorOut();
    Path log = base.monitorLog();
    List<String> command = commandLine.command(base, args);
    Files.writeString(out, "--- " + Instant.now() + " monitor start: " + String.join(" ", command) + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long outFrom = LogTail.end(out);
    long logFrom = LogTail.end(log);
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command)
        .directory(base.path().toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .start();
    long deadline = started + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        return failed(process.pid(), "the monitor exited with status " + process.exitValue() + " during start-up",
            outFrom, logFrom);
      }
      Optional<DaemonRecord> record = DaemonRecord.read(base).filter(r -> r.pid() == process.pid());
      if (record.isPresent() && ready.test(record.get())) {
        return new Started(record.get(), Duration.ofNanos(System.nanoTime() - started), stale);
      }
      if (System.nanoTime() > deadline) {
        stopChild(process);
        return failed(process.pid(), "the monitor was not ready within " + seconds(timeout)
            + (record.isPresent() ? " (it recorded itself but /health/ready did not answer 200)"
            : " (it did not record itself in " + base.daemonFile() + ")") + "; stopped it", outFrom, logFrom);
      }
      Thread.sleep(20); // a file read, and once recorded a loopback request: the wait, not the work, dominates
    }
  }

  private static void stopChild(Process process) throws InterruptedException {
    process.destroy(); // SIGTERM first, so that it removes its hidden tmux session
    if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  private Failed failed(long pid, String reason, long outFrom, long logFrom) throws IOException {
    return new Failed(pid, reason, tail(base.monitorOut(), outFrom), tail(base.monitorLog(), logFrom));
  }

  private static List<String> tail(Path file, long from) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    // a log rolled over meanwhile is shorter than where it ended before: read the new one whole
    long start = Files.size(file) < from ? 0 : from;
    return new ArrayList<>(LogTail.last(file, start, TAIL_LINES));
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
