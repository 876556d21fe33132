package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.testing.TmuxServerFixture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code monitor --foreground} as a real process: it watches, survives tmux faults, and stops cleanly on SIGTERM. */
class MonitorProcessTest {

  @TempDir
  Path dir;

  @RegisterExtension
  final TmuxServerFixture tmux = new TmuxServerFixture();
  private Process monitor;

  @AfterEach
  void stop() {
    if (monitor != null && monitor.isAlive()) {
      monitor.destroyForcibly();
    }
  }

  private Process startMonitor(Path log) throws Exception {
    Path config = Files.writeString(dir.resolve("test.conf"),
        "tmux-orc.monitoring.poll-interval = 200ms\n"
            + "tmux-orc.tmux.reconnect-backoff { min = 50ms, max = 200ms }\n");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // without the test classes, whose logback-test.xml only buffers: it logs like the product does
        "-cp", productClassPath(),
        // its PID file and journal go to a temporary base directory, never the user's ~/.tmux-orchestrator
        "-Dtmuxorc.baseDir=" + dir.resolve("base"),
        Main.class.getName(), "monitor", "--foreground", "--http-port", "0", "-L", tmux.socket(), "--config", config.toString()));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** This JVM's class path less the directory of the test classes. */
  private static String productClassPath() throws Exception {
    Path testClasses = Path.of(MonitorProcessTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).toAbsolutePath().equals(testClasses))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static void awaitLog(Path log, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("log never said '" + text + "':\n" + Files.readString(log));
  }

  @Test
  void watchesSurvivesAServerRestartAndShutsDownCleanlyOnSigterm() throws Exception {
    tmux.session("proj", "pm", TmuxServerFixture.IDLE_COMMAND);
    tmux.window("proj", "claude-1", TmuxServerFixture.IDLE_COMMAND);
    Path log = dir.resolve("monitor.log");
    monitor = startMonitor(log);
    awaitLog(log, "window 'claude-1'");
    awaitLog(log, "dashboard: http://127.0.0.1:");
    assertTrue(Files.readString(log).lines().anyMatch(line ->
        line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\S+ - .*window 'claude-1'.*")), "the console pattern");
    assertTrue(tmux.sessions().stream().anyMatch(s -> s.startsWith("_tmux-orc-")), "hidden session exists");

    tmux.killServer();
    awaitLog(log, "tmux unreachable");
    tmux.session("fresh", "claude-2", TmuxServerFixture.IDLE_COMMAND);
    awaitLog(log, "window 'claude-2'");
    assertTrue(monitor.isAlive());

    monitor.destroy(); // SIGTERM
    assertTrue(monitor.waitFor(20, TimeUnit.SECONDS), "monitor exits on SIGTERM");
    awaitLog(log, "tmux client(s) on socket"); // how many the pool held at the end depends on timing
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (System.nanoTime() < deadline && tmux.sessions().size() > 1) {
      Thread.sleep(50);
    }
    assertEquals(List.of("fresh"), tmux.sessions(), "the hidden session is removed");
    assertTrue(tmux.tmux("list-clients").isBlank(), "no control client is left");
  }
}
