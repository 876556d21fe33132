package dev.tmuxorc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

/**
 * A process started by a test and ended by it, by its own PID: a copy of {@code sleep} under a name of the
 * test's choice, so that its command line looks like tmux-orc ({@code tmux-orc-fake}) or like anything else.
 */
public final class FakeProcess implements AutoCloseable {

  private final Process process;

  private FakeProcess(Process process) {
    this.process = process;
  }

  /** Starts {@code dir/name 100000}, a copy of /bin/sleep. */
  public static FakeProcess start(Path dir, String name) throws IOException {
    Path binary = dir.resolve(name);
    if (!Files.exists(binary)) {
      Files.copy(Path.of("/bin/sleep"), binary, StandardCopyOption.REPLACE_EXISTING);
      binary.toFile().setExecutable(true);
    }
    Process process = new ProcessBuilder(binary.toString(), "100000").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return new FakeProcess(process);
  }

  /** One that looks like a tmux-orc monitor. */
  public static FakeProcess tmuxOrc(Path dir) throws IOException {
    return start(dir, "tmux-orc-fake");
  }

  /** One that is some other program. */
  public static FakeProcess other(Path dir) throws IOException {
    return start(dir, "other-program");
  }

  public long pid() {
    return process.pid();
  }

  /** When it started, as a monitor records its own start. */
  public String startedAt() {
    return process.info().startInstant().orElseThrow().toString();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Whether it exits within {@code patience}: a child that exited stays a zombie (and alive to {@link #isAlive})
   * until the JVM's reaper collects it, a moment after it is gone as far as /proc/PID/cmdline says.
   */
  public boolean exitsWithin(java.time.Duration patience) throws InterruptedException {
    return process.waitFor(patience.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** The PID of a process that has exited (and was reaped): as good as a dead PID gets. */
  public static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor(10, TimeUnit.SECONDS);
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
