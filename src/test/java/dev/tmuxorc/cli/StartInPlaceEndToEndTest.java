package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.ProcessCheck;
import dev.tmuxorc.testing.DaemonBase;
import dev.tmuxorc.testing.Poll;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitor start} through the real launcher script, started in place ({@link StartInPlace}): a real JVM (the
 * JDK's java, given this test's class path where the launcher names the jar) on a private tmux server, in a
 * temporary base directory.
 */
class StartInPlaceEndToEndTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  @RegisterExtension
  final DaemonBase daemons = new DaemonBase();

  private LauncherDistribution distribution;

  /** Whether this machine's setsid can fork (util-linux 2.25+), which a start in place needs. */
  static boolean setsidForks() {
    try {
      Process setsid = new ProcessBuilder("setsid", "--fork", "true").redirectErrorStream(true).start();
      setsid.getInputStream().readAllBytes();
      return setsid.waitFor(10, TimeUnit.SECONDS) && setsid.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @BeforeEach
  void distribution() throws IOException {
    assumeTrue(setsidForks(), "no setsid --fork here: monitor start is not started in place");
    // the JDK's java, given this test's class path where the launcher names the jar
    distribution = new LauncherDistribution(dir, daemons.base().path(), String.join("\n", "#!/bin/sh",
        "for a; do",
        "  shift",
        "  if [ \"$a\" = \"$STAND_IN_JAR\" ]; then set -- \"$@\" \"$STAND_IN_CLASS_PATH\"; else set -- \"$@\" \"$a\"; fi",
        "done",
        "exec \"$STAND_IN_JAVA\" \"$@\"", ""));
  }

  /**
   * A monitor whose launcher was killed before it reported (its report's directory still names its PID) is ended
   * by that PID, while it is a tmux-orc: the recorded ones are ended by {@link DaemonBase}.
   */
  @AfterEach
  void endUnreportedMonitors() throws IOException {
    if (distribution == null) {
      return; // skipped
    }
    try (var reports = Files.list(distribution.tmp)) {
      for (Path pidFile : reports.map(report -> report.resolve("pid")).filter(Files::exists).toList()) {
        String pid = Files.readString(pidFile).strip();
        if (!pid.isEmpty()) {
          end(Long.parseLong(pid));
        }
      }
    }
  }

  /** Ends process {@code pid}, if it is still a tmux-orc (a PID may be reused once its process is gone). */
  private static void end(long pid) {
    if (ProcessCheck.isTmuxOrc(pid)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void startsReadyInPlaceRefusesASecondStartAndStops() throws Exception {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    Path config = Files.writeString(dir.resolve("test.conf"), "tmux-orc.monitoring.poll-interval = 200ms\n");

    LauncherDistribution.Run start = launch("monitor", "start", "--http-port", "0", "--timeout", "60s", "-L",
        tmux.socket(), "-c", config.toString());
    assertEquals(0, start.status(), start.err() + monitorOut());
    assertEquals("", start.err());
    DaemonRecord record = daemons.record().orElseThrow();
    assertTrue(start.out().startsWith("tmux-orc monitor started in "), start.out());
    assertTrue(start.out().contains("pid:       " + record.pid() + "\n"), start.out());
    assertTrue(start.out().contains("api:       " + record.url() + "\n"), start.out());
    assertTrue(start.out().contains("stop:      " + distribution.launcher + " monitor stop\n"), start.out());
    // ready when the command returned, and that process, in a session of its own, is the monitor
    assertEquals(200, new DaemonClient(URI.create(record.url()), Optional.empty()).probe("/health/ready").status());
    assertEquals(record.pid(), sessionOf(record.pid()), "a session leader: closing the terminal does not stop it");
    // recorded as `monitor start` launches a daemon, for `monitor restart`
    assertEquals(List.of("monitor", "--foreground"), record.args().subList(0, 2));
    assertTrue(record.args().containsAll(List.of("--http-port", "0", "-L", tmux.socket(), "-c", config.toString())),
        record.args()::toString);
    assertTrue(monitorOut().contains("monitor start, in the launcher's process"), monitorOut());

    LauncherDistribution.Run again = launch("monitor", "start", "-L", tmux.socket());
    assertEquals(1, again.status(), again.out());
    assertTrue(again.err().contains("already running (pid " + record.pid()), again.err());

    ScanCommandTest.Run stop = ScanCommandTest.cli("monitor", "stop");
    assertEquals(0, stop.status(), stop.err());
    awaitExit(record.pid(), "stopped");
    assertFalse(Files.exists(daemons.base().pidFile()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && tmux.sessions().size() > 1) {
      Thread.sleep(50);
    }
    assertEquals(List.of("proj"), tmux.sessions(), "the hidden session is removed");
  }

  @Test
  void aConfigurationMistakeIsReportedWithStatus2() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.conf"), "tmux-orc.monitoring.poll-interval = banana\n");
    LauncherDistribution.Run start = launch("monitor", "start", "-L", tmux.socket(), "-c", config.toString());
    assertEquals(2, start.status(), start.out());
    assertTrue(start.err().startsWith("tmux-orc: "), start.err());
    assertTrue(start.err().contains("poll-interval"), start.err());
    assertTrue(daemons.record().isEmpty());
  }

  @Test
  void aMonitorNotReadyInTimeIsReportedAndStops() throws Exception {
    LauncherDistribution.Run start = launch("monitor", "start", "--http-port", "0", "--timeout", "8s", "-L",
        tmux.socket() + "-none");
    assertEquals(1, start.status(), start.out());
    assertTrue(start.err().startsWith("tmux-orc: the monitor was not ready within 8 s (it recorded itself, but tmux is "
        + "not reachable"), start.err());
    Matcher pid = Pattern.compile("stopped it \\(pid (\\d+)\\)").matcher(start.err());
    assertTrue(pid.find(), start.err());
    awaitExit(Long.parseLong(pid.group(1)), "the monitor stops after saying so");
    assertTrue(daemons.record().isEmpty());
  }

  @Test
  void aStartNobodyWaitsForAnyMoreStops() throws Exception {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    Process launcherProcess = builder("monitor", "start", "--http-port", "0", "--timeout", "60s", "-L",
        tmux.socket()).redirectErrorStream(true).start();
    try {
      long pid = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (pid < 0 && System.nanoTime() < deadline) {
        try (var reports = Files.list(distribution.tmp)) {
          for (Path pidFile : reports.map(report -> report.resolve("pid")).filter(Files::exists).toList()) {
            String line = Files.readString(pidFile);
            if (line.endsWith("\n")) { // written in full
              pid = Long.parseLong(line.strip());
            }
          }
        }
        Thread.sleep(10);
      }
      assertTrue(pid > 0, "the launcher started a monitor");
      try {
        launcherProcess.destroy(); // SIGTERM, as a closed terminal or a Ctrl-C would end it
        assertTrue(launcherProcess.waitFor(10, TimeUnit.SECONDS));
        awaitExit(pid, "the monitor gives up once it finds nobody waiting for its report");
        assertTrue(daemons.record().isEmpty(), "and leaves no record");
        assertTrue(Files.readString(daemons.base().monitorLog()).contains("cannot report the start to the launcher"));
      } finally {
        end(pid);
      }
    } finally {
      launcherProcess.destroyForcibly();
    }
  }

  private LauncherDistribution.Run launch(String... args) throws Exception {
    return distribution.run(standIn(), 90, args);
  }

  private ProcessBuilder builder(String... args) {
    return distribution.builder(standIn(), args);
  }

  /** What the stand-in java needs: the real one, and the class path to give it for the launcher's jar. */
  private Map<String, String> standIn() {
    return Map.of("STAND_IN_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "STAND_IN_JAR", distribution.jar.toString(), "STAND_IN_CLASS_PATH", System.getProperty("java.class.path"));
  }

  private String monitorOut() throws IOException {
    Path out = daemons.base().monitorOut();
    return Files.exists(out) ? Files.readString(out) : "(no " + out + ")";
  }

  /** Waits up to a minute until process {@code pid} has exited (or is a zombie); fails saying {@code why}. */
  private static void awaitExit(long pid, String why) {
    Poll.until(() -> DaemonBase.running(pid), running -> !running, why + " (pid " + pid + ")", Duration.ofSeconds(60));
  }

  /** The session id of process {@code pid} (/proc/PID/stat, the field after the parent and the process group). */
  private static long sessionOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]);
  }
}
