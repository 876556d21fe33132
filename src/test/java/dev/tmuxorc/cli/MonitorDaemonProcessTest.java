package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.testing.DaemonBase;
import dev.tmuxorc.testing.TmuxServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitor start} end to end: a real detached monitor on a private tmux server, in a temporary base
 * directory, found, queried, paused, restarted and stopped through the CLI.
 */
class MonitorDaemonProcessTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();

  @RegisterExtension
  final DaemonBase daemons = new DaemonBase();

  @Test
  void startStatusPauseRestartAndStop() throws Exception {
    tmux.session("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    Path config = Files.writeString(dir.resolve("test.conf"),
        "tmux-orc.monitoring.poll-interval = 200ms\ntmux-orc.tmux.reconnect-backoff { min = 50ms, max = 200ms }\n");
    String[] common = {"-L", tmux.socket(), "-c", config.toString()};

    ScanCommandTest.Run start = ScanCommandTest.cli(concat(new String[] {"monitor", "start", "--http-port", "0",
        "--timeout", "30s"}, common));
    assertEquals(0, start.status(), start.err());
    DaemonRecord record = daemons.record().orElseThrow();
    assertTrue(start.out().contains("pid:       " + record.pid()), start.out());
    assertTrue(start.out().contains("api:       " + record.url()), start.out());
    assertTrue(start.out().contains("  dashboard: " + record.url() + "/\n"), start.out());

    ScanCommandTest.Run again = ScanCommandTest.cli(concat(new String[] {"monitor", "start"}, common));
    assertEquals(1, again.status());
    assertTrue(again.err().contains("already running (pid " + record.pid()), again.err());

    ScanCommandTest.Run status = ScanCommandTest.cli("monitor", "status", "-c", config.toString());
    assertEquals(0, status.status(), status.err());
    assertTrue(status.out().contains("agents:"), status.out());
    assertTrue(status.out().contains("dashboard: " + record.url() + "/"), status.out());

    assertEquals(0, ScanCommandTest.cli("monitor", "pause", "10m", "-c", config.toString()).status());
    assertEquals(0, ScanCommandTest.cli("monitor", "resume", "-c", config.toString()).status());
    assertTrue(Files.readString(daemons.base().monitorLog()).contains("window 'claude-1'"));

    ScanCommandTest.Run restart = ScanCommandTest.cli("monitor", "restart", "-c", config.toString());
    assertEquals(0, restart.status(), restart.err());
    DaemonRecord second = daemons.record().orElseThrow();
    assertTrue(second.pid() != record.pid());
    assertEquals(record.args(), second.args(), "restarted with the recorded arguments");

    ScanCommandTest.Run stop = ScanCommandTest.cli("monitor", "stop");
    assertEquals(0, stop.status(), stop.err());
    assertTrue(stop.out().startsWith("stopped tmux-orc (pid " + second.pid() + ")"), stop.out());
    assertFalse(Files.exists(daemons.base().pidFile()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && tmux.sessions().size() > 1) {
      Thread.sleep(50);
    }
    assertEquals(java.util.List.of("proj"), tmux.sessions(), "the hidden session is removed");
    assertEquals(3, ScanCommandTest.cli("monitor", "status").status());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
