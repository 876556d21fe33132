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
import java.util.concurrent.TimeUnit;
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
   * output ({@code monitor.out}) and log ({@code monitor.log}) written since this start. {@code pid} is -1 when
   * no monitor PID was learnt.
   */
  public record Failed(long pid, String reason, List<String> output, List<String> log) implements Outcome { }

  /** Starts a monitor running tmux-orc {@code args} and waits up to {@code timeout} for it to be ready. */
  public Outcome start(List<String> args, Duration timeout) throws IOException, InterruptedException {
    Claimed claimed = claim(base);
    if (claimed instanceof Refused refused) {
      return refused.outcome();
    }
    try (Claim claim = (Claim) claimed) {
      return launch(args, timeout, claim.stale());
    }
  }

  /** What claiming a start found: the claim, or why there is none. */
  public sealed interface Claimed permits Claim, Refused { }

  /** No start now: {@link AlreadyRunning} or {@link StartInProgress}. */
  public record Refused(Outcome outcome) implements Claimed { }

  /**
   * The right to start the monitor of a base directory until closed: its start lock is held, and no monitor runs
   * ({@code stale}: the stale record removed on the way).
   */
  public static final class Claim implements Claimed, AutoCloseable {
    private final FileChannel channel; // its lock is the claim: closing it releases the lock
    private final Optional<DaemonState.Stale> stale;

    private Claim(FileChannel channel, Optional<DaemonState.Stale> stale) {
      this.channel = channel;
      this.stale = stale;
    }

    public Optional<DaemonState.Stale> stale() {
      return stale;
    }

    /** Releases the start lock (again: nothing). */
    @Override
    public synchronized void close() throws IOException {
      if (channel.isOpen()) {
        channel.close(); // releases the lock
      }
    }
  }

  /**
   * Claims the start of {@code base}'s monitor: takes its start lock (another start holding it: refused), and
   * refuses while one runs; a stale record (its process gone or another program) is removed.
   */
  public static Claimed claim(BaseDir base) throws IOException {
    Files.createDirectories(base.logs());
    FileChannel channel = FileChannel.open(base.startLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return new Refused(new StartInProgress());
      }
      DaemonState state = DaemonState.of(base);
      if (state instanceof DaemonState.Running running) {
        channel.close(); // releases the lock
        return new Refused(new AlreadyRunning(running.record()));
      }
      Optional<DaemonState.Stale> stale = Optional.empty();
      if (state instanceof DaemonState.Stale s) {
        s.record().removeIfOurs(base); // its process is gone or another program: only its files go
        stale = Optional.of(s);
      }
      return new Claim(channel, stale);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private Outcome launch(List<String> args, Duration timeout, Optional<DaemonState.Stale> stale)
      throws IOException, InterruptedException {
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    Launch launch = null;
    Monitor monitor = null;
    if (commandLine.detaches()) {
      Files.deleteIfExists(base.startingPid());
      launch = Launch.of(base, commandLine.command(base, args, true));
      try {
        Optional<Long> pid = detachedPid(launch.process());
        if (pid.isPresent()) {
          Optional<ProcessHandle> handle = ProcessHandle.of(pid.get());
          if (handle.isEmpty()) {
            return failed(pid.get(), "the monitor exited during start-up", launch);
          }
          monitor = new Detached(handle.get()); // taken once: a PID reused later is not this process
        } else if (launch.process().exitValue() == 0) {
          return failed(-1, "the monitor's launch did not record its PID in " + base.startingPid() + " within "
              + seconds(PID_GRACE), launch);
        } // else this setsid cannot fork: started as a child below
      } finally {
        Files.deleteIfExists(base.startingPid());
      }
    }
    if (monitor == null) {
      launch = Launch.of(base, commandLine.command(base, args, false));
      monitor = new Child(launch.process());
    }
    while (true) {
      Optional<String> exited = monitor.exited();
      if (exited.isPresent()) {
        return failed(monitor.pid(), exited.get(), launch);
      }
      long pid = monitor.pid();
      Optional<DaemonRecord> record = DaemonRecord.read(base).filter(r -> r.pid() == pid);
      if (record.isPresent() && ready.test(record.get())) {
        return new Started(record.get(), Duration.ofNanos(System.nanoTime() - started), stale);
      }
      if (System.nanoTime() > deadline) {
        monitor.stop();
        return failed(pid, notReady(timeout, record.isPresent() ? "it recorded itself but /health/ready did not "
            + "answer 200" : "it did not record itself in " + base.daemonFile()), launch);
      }
      Thread.sleep(20); // a file read, and once recorded a loopback request: the wait, not the work, dominates
    }
  }

  /** How long after setsid has forked its child may take to write the monitor's PID (it takes milliseconds). */
  static final Duration PID_GRACE = Duration.ofSeconds(2);

  /**
   * The PID the detached monitor's shell wrote; empty when setsid failed (one without {@code --fork}: busybox,
   * old util-linux) or, having forked, its child wrote none within {@link #PID_GRACE} (no /bin/sh).
   */
  private Optional<Long> detachedPid(Process setsid) throws IOException, InterruptedException {
    if (!setsid.waitFor(PID_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
      setsid.destroyForcibly(); // setsid --fork exits as soon as it has forked
      setsid.waitFor();
    }
    if (setsid.exitValue() != 0) {
      return Optional.empty();
    }
    long until = System.nanoTime() + PID_GRACE.toNanos();
    while (System.nanoTime() < until) {
      if (Files.exists(base.startingPid())) {
        // complete once the line is: the shell writes it at once, but a read may fall between the file's
        // creation and that write
        String text = Files.readString(base.startingPid(), StandardCharsets.UTF_8);
        if (text.endsWith("\n") && !text.isBlank() && text.strip().chars().allMatch(Character::isDigit)) {
          return Optional.of(Long.parseLong(text.strip()));
        }
      }
      Thread.sleep(5);
    }
    return Optional.empty();
  }

  /** One attempt at starting the monitor: the process started, and where its output and log ended before. */
  private record Launch(Process process, long outFrom, long logFrom) {
    static Launch of(BaseDir base, List<String> command) throws IOException {
      Path out = base.monitorOut();
      Files.writeString(out, "--- " + Instant.now() + " monitor start: " + String.join(" ", command) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      long outFrom = LogTail.end(out);
      long logFrom = LogTail.end(base.monitorLog());
      Process process = new ProcessBuilder(command)
          .directory(base.path().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
          .redirectError(ProcessBuilder.Redirect.appendTo(out.toFile()))
          .start();
      return new Launch(process, outFrom, logFrom);
    }
  }

  /** The monitor being started, as far as this start can follow it. */
  private sealed interface Monitor permits Child, Detached {
    /** A handle on that very process (it checks the start time: a PID reused later is never signalled). */
    ProcessHandle handle();

    /** Why it is gone, when it is. */
    Optional<String> exited();

    default long pid() {
      return handle().pid();
    }

    /** SIGTERM first, so that it removes its hidden tmux session; SIGKILL if it lingers. */
    default void stop() throws InterruptedException {
      handle().destroy();
      if (!awaitGone(Duration.ofSeconds(10))) {
        handle().destroyForcibly();
        awaitGone(Duration.ofSeconds(5));
      }
    }

    private boolean awaitGone(Duration within) throws InterruptedException {
      long until = System.nanoTime() + within.toNanos();
      while (exited().isEmpty()) {
        if (System.nanoTime() > until) {
          return false;
        }
        Thread.sleep(20);
      }
      return true;
    }
  }

  /** Our own child (no setsid, or one that cannot fork): its exit status can be told. */
  private record Child(Process process) implements Monitor {
    @Override
    public ProcessHandle handle() {
      return process.toHandle();
    }

    @Override
    public Optional<String> exited() {
      return process.isAlive() ? Optional.empty()
          : Optional.of("the monitor exited with status " + process.exitValue() + " during start-up");
    }
  }

  /** Detached: another process's child (its parent, setsid, is gone), so its exit status is not ours to read. */
  private record Detached(ProcessHandle handle) implements Monitor {
    @Override
    public Optional<String> exited() {
      // a zombie counts as gone (its new parent may reap it late); its output says why it exited
      return ProcessCheck.hasExited(handle)
          ? Optional.of("the monitor exited during start-up") : Optional.empty();
    }
  }

  private Failed failed(long pid, String reason, Launch launch) throws IOException {
    return failed(base, pid, reason, launch.outFrom(), launch.logFrom());
  }

  /**
   * A failed start of {@code base}'s monitor, with the last lines its output ({@code monitor.out}) and log got
   * since they ended at {@code outFrom} and {@code logFrom} ({@link LogTail#end}).
   */
  public static Failed failed(BaseDir base, long pid, String reason, long outFrom, long logFrom) throws IOException {
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

  /** Why a start failed that was not ready within {@code timeout}, and was stopped. */
  public static String notReady(Duration timeout, String why) {
    return "the monitor was not ready within " + seconds(timeout) + " (" + why + "); stopped it";
  }

  public static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format("%.1f s", d.toMillis() / 1000.0);
  }
}
