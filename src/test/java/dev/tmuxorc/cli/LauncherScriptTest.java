package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (src/main/dist/bin/tmux-orc) run for real, with a stand-in JDK whose {@code java} prints the
 * arguments it was given: it passes the class-data-sharing archive on only when the archive was made for this
 * JDK and this jar (src/build/cds-archive.sh writes that in {@code lib/tmux-orc.jsa.stamp}); it starts
 * {@code monitor start} in place ({@link StartInPlace}), detached, and prints what that reports.
 */
class LauncherScriptTest {

  private static final String VERSION = "17.0.99+1-test";

  @TempDir
  Path dir;

  private LauncherDistribution distribution;
  private Path jar;

  @BeforeEach
  void distribution() throws IOException {
    // prints its arguments; for a start in place (the report's directory among them) reports them, with a line on
    // stderr and status 4, or dies without a report, when asked
    distribution = new LauncherDistribution(dir, dir.resolve("base"), String.join("\n", "#!/bin/sh",
        "report=''",
        "for a; do case $a in -Dtmuxorc.startReport=*) report=${a#-Dtmuxorc.startReport=} ;; esac; done",
        "if [ -n \"$report\" ]; then",
        "  if [ -n \"${STAND_IN_DIES:-}\" ]; then echo 'boom: no report'; exit 3; fi",
        "  { echo \"cwd=$(pwd -P)\"; printf '%s\\n' \"$@\"; } > \"$report/out\"",
        "  echo 'a line on stderr' > \"$report/err\"",
        "  echo 4 > \"$report/status.partial\" && mv \"$report/status.partial\" \"$report/status\"",
        "  exit 0",
        "fi",
        "printf '%s\\n' \"$@\"", ""));
    Files.writeString(distribution.jdk.resolve("release"),
        "JAVA_RUNTIME_VERSION=\"" + VERSION + "\"\nJAVA_VERSION=\"17.0.99\"\n");
    jar = distribution.jar;
    Files.writeString(jar.resolveSibling("tmux-orc.jsa"), "not really an archive");
  }

  @Test
  void theArchiveMadeForThisJdkAndJarIsPassedOn() throws Exception {
    stamp(VERSION);
    List<String> args = javaArgs();
    assertTrue(args.contains("-XX:SharedArchiveFile=" + jar.resolveSibling("tmux-orc.jsa")), args::toString);
    assertTrue(args.contains("-Xshare:auto"), args::toString);
    assertEquals(List.of("-jar", jar.toString(), "--version"), args.subList(args.size() - 3, args.size()));
  }

  @Test
  void anArchiveOfAnotherJdkIsNot() throws Exception {
    stamp("17.0.98+1-test"); // the JDK was updated since the build
    assertFalse(javaArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")));
  }

  @Test
  void anArchiveOfAnotherJarIsNot() throws Exception {
    stamp(VERSION);
    Files.writeString(jar, "a jar rebuilt since"); // another size
    assertFalse(javaArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")));
  }

  @Test
  void anArchiveWithoutItsStampIsNot() throws Exception {
    assertFalse(javaArgs().stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile")));
  }

  @Test
  void monitorStartRunsInPlaceDetachedAndPrintsItsReport() throws Exception {
    assumeTrue(StartInPlaceEndToEndTest.setsidForks());
    LauncherDistribution.Run run = launch(Map.of(), "-L", "work", "monitor", "start", "--http-port", "0");
    assertEquals(4, run.status(), run.err());
    assertEquals("a line on stderr\n", run.err());
    List<String> args = run.out().lines().toList();
    Path base = dir.resolve("base");
    assertEquals("cwd=" + base.toRealPath(), args.get(0), "it runs in the base directory");
    assertTrue(args.containsAll(List.of("-Dtmuxorc.daemon=true", "-Dtmuxorc.baseDir=" + base,
        "-Dtmuxorc.logs=" + base.resolve("logs"), "-Dtmuxorc.launcher=" + distribution.launcher)), args::toString);
    assertTrue(args.stream().anyMatch(a -> a.matches("-Dtmuxorc\\.startedAt=\\d{13}")), args::toString);
    assertEquals(List.of("-cp", jar.toString(), StartInPlace.class.getName(), "-L", "work", "monitor", "start",
        "--http-port", "0"), args.subList(args.size() - 9, args.size()));
    assertTrue(Files.exists(base.resolve("logs")));
    assertEquals(List.of(), listed(distribution.tmp), "the report's directory is removed");
  }

  @Test
  void aMonitorThatDiesBeforeItsReportIsShownWithItsOutput() throws Exception {
    assumeTrue(StartInPlaceEndToEndTest.setsidForks());
    LauncherDistribution.Run run = launch(Map.of("STAND_IN_DIES", "yes"), "monitor", "start");
    assertEquals(1, run.status());
    assertTrue(run.err().startsWith("tmux-orc: the monitor exited during start-up (pid "), run.err());
    assertTrue(run.err().contains("last lines of " + dir.resolve("base/logs/monitor.out") + ":\n  boom: no report\n"),
        run.err());
    assertEquals(List.of(), listed(distribution.tmp));
  }

  @Test
  void otherCommandsAndFormsRunAsUsual() throws Exception {
    List<List<String>> usual = List.of(List.of("monitor", "start", "--foreground"), List.of("monitor", "start", "-h"),
        List.of("monitor", "status"), List.of("-c", "x.conf", "status"), List.of("monitor"),
        List.of("-L", "monitor", "status"), List.of("hook", "monitor", "start"),
        List.of("-c", "relative.conf", "monitor", "start"), List.of("monitor", "start", "--events=events.jsonl"));
    for (List<String> command : usual) {
      LauncherDistribution.Run run = launch(Map.of(), command.toArray(String[]::new));
      assertEquals(0, run.status(), command + ": " + run.err());
      List<String> args = run.out().lines().toList();
      assertEquals(command, args.subList(args.size() - command.size(), args.size()), command::toString);
      assertEquals("-jar", args.get(args.size() - command.size() - 2), command::toString);
    }
    for (Map<String, String> env : List.of(Map.of("TMUX_ORC_START_IN_PLACE", "0"),
        Map.of("TMUX_ORC_START_IN_PLACE", "off"), Map.of("JAVA_OPTS", "-agentlib:jdwp=transport=dt_socket"),
        Map.of("JAVA_OPTS", "-Duser.home=/elsewhere"), Map.of("TMUX_ORC_JVM_OPTS", "-Dtmuxorc.baseDir=/elsewhere"),
        Map.of("TMUX_ORC_CONFIG", "relative.conf"))) {
      LauncherDistribution.Run plain = launch(env, "monitor", "start");
      assertTrue(plain.out().contains("-jar\n"), env + ": " + plain.out());
    }
  }

  private LauncherDistribution.Run launch(Map<String, String> env, String... args) throws Exception {
    return distribution.run(env, 30, args);
  }

  private static List<Path> listed(Path directory) throws IOException {
    try (var paths = Files.list(directory)) {
      return paths.toList();
    }
  }

  // The stamp as src/build/cds-archive.sh writes it: JDK version, jar path, size and modification time (s).
  private void stamp(String version) throws IOException {
    Files.writeString(jar.resolveSibling("tmux-orc.jsa.stamp"), version + " " + jar + " " + Files.size(jar) + " "
        + Files.getLastModifiedTime(jar).toMillis() / 1000 + "\n");
  }

  private List<String> javaArgs() throws Exception {
    LauncherDistribution.Run run = launch(Map.of(), "--version");
    assertEquals(0, run.status(), run.err());
    return run.out().lines().toList();
  }
}
