package dev.tmuxorc.testing;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.ProcessCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A base directory of the test's own (in a temporary directory, set as {@link BaseDir#PROPERTY} for the test and
 * cleared after), and the monitors the test started in it: after the test, whatever happened, each one still alive
 * is ended by the PID it recorded, and only while that PID is still a tmux-orc (once a monitor has exited, its PID
 * may be another program's). Register with {@code @RegisterExtension}.
 */
public final class DaemonBase implements BeforeEachCallback, AfterEachCallback {

  private final List<Long> pids = new ArrayList<>();
  private Path dir;
  private BaseDir base;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("tmux-orc-base-");
    base = new BaseDir(dir.resolve("base"));
    System.setProperty(BaseDir.PROPERTY, base.path().toString());
  }

  public BaseDir base() {
    return base;
  }

  /** The monitor the base directory records now (monitor.json), remembered to be ended after the test. */
  public Optional<DaemonRecord> record() {
    Optional<DaemonRecord> record = DaemonRecord.read(base);
    record.ifPresent(r -> {
      if (!pids.contains(r.pid())) {
        pids.add(r.pid());
      }
    });
    return record;
  }

  /** The last lines of the monitors' log and output files, on stderr (in the test's report). */
  private void printLogs() {
    for (Path file : List.of(base.monitorLog(), base.monitorOut())) {
      try {
        if (Files.exists(file)) {
          List<String> lines = Files.readAllLines(file);
          System.err.println("--- the last lines of " + file + " (the test failed):");
          lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()).forEach(System.err::println);
        }
      } catch (IOException | UncheckedIOException e) {
        System.err.println("--- cannot read " + file + ": " + e.getMessage());
      }
    }
  }

  private static final int LOG_LINES = 80;

  /** Whether process {@code pid} runs: not gone, and not a zombie (a container's init may never reap one). */
  public static boolean running(long pid) {
    return ProcessHandle.of(pid).map(handle -> !ProcessCheck.hasExited(handle)).orElse(false);
  }

  /** The PID of the monitor recorded last (see {@link #record()}), or -1 when none was. */
  public long lastPid() {
    return pids.isEmpty() ? -1 : pids.get(pids.size() - 1);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      printLogs(); // before they go with the directory: what a monitor did in a test that failed (on CI, say)
    }
    record();
    for (long pid : pids) {
      if (pid > 0 && ProcessCheck.isTmuxOrc(pid)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    System.clearProperty(BaseDir.PROPERTY);
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory: the system cleans it eventually
    }
  }
}
