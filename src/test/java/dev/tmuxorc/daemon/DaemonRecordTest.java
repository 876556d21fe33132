package dev.tmuxorc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.testing.FakeProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonRecordTest {

  @TempDir
  Path dir;

  private BaseDir base() {
    return new BaseDir(dir.resolve("base"));
  }

  private static DaemonRecord record(long pid) {
    return record(pid, ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(Object::toString)
        .orElse("2026-01-01T00:00:00Z"));
  }

  private static DaemonRecord record(long pid, String startedAt) {
    return new DaemonRecord(pid, "http://127.0.0.1:8585", "/tmp/monitor.log", startedAt, "1.0",
        "tmux -L work", List.of("monitor", "--foreground", "-L", "work"));
  }

  @Test
  void writesBothFilesAtomicallyAndReadsThemBack() throws Exception {
    BaseDir base = base();
    record(4242).write(base);
    assertEquals("4242", Files.readString(base.pidFile()).trim());
    assertTrue(Files.readString(base.daemonFile()).contains("\"url\" : \"http://127.0.0.1:8585\""));
    try (var files = Files.list(base.path())) {
      assertEquals(List.of("monitor.json", "monitor.pid"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file is left");
    }
    assertEquals(Optional.of(record(4242)), DaemonRecord.read(base));

    record(4343).write(base); // replaces
    assertEquals(4343, DaemonRecord.read(base).orElseThrow().pid());
  }

  @Test
  void thePidFileIsTheAuthorityWhenTheJsonNamesAnotherPid() throws Exception {
    BaseDir base = base();
    record(1).write(base);
    Files.writeString(base.pidFile(), "77\n");
    DaemonRecord read = DaemonRecord.read(base).orElseThrow();
    assertEquals(77, read.pid());
    assertEquals(null, read.url());
    assertEquals(Optional.empty(), DaemonRecord.read(new BaseDir(dir.resolve("nothing-here"))));
  }

  @Test
  void theHooksQuickReadGivesThePidAndUrlOnlyWhenBothFilesAgree() throws Exception {
    BaseDir base = base();
    assertEquals(Optional.empty(), DaemonRecord.readPidAndUrl(base));
    record(4242).write(base);
    DaemonRecord quick = DaemonRecord.readPidAndUrl(base).orElseThrow();
    assertEquals(List.of(4242L, "http://127.0.0.1:8585"), List.of(quick.pid(), quick.url()));

    Files.writeString(base.pidFile(), "77\n");
    assertEquals(Optional.empty(), DaemonRecord.readPidAndUrl(base), "a JSON of another process");
    new DaemonRecord(77, null, null, null, null, null, List.of()).write(base);
    assertEquals(Optional.empty(), DaemonRecord.readPidAndUrl(base), "no API");
  }

  @Test
  void removeIfOursLeavesTheFilesOfAnotherMonitor() throws Exception {
    BaseDir base = base();
    record(10).write(base);
    record(11).removeIfOurs(base);
    assertTrue(Files.exists(base.pidFile()) && Files.exists(base.daemonFile()));
    record(10).removeIfOurs(base);
    assertFalse(Files.exists(base.pidFile()) || Files.exists(base.daemonFile()));
  }

  @Test
  void aRecordOfALiveTmuxOrcIsRunningAndOfAnythingElseStale() throws Exception {
    BaseDir base = base();
    assertInstanceOf(DaemonState.Absent.class, DaemonState.of(base));

    record(FakeProcess.deadPid()).write(base);
    DaemonState.Stale gone = assertInstanceOf(DaemonState.Stale.class, DaemonState.of(base));
    assertEquals(ProcessCheck.Verdict.GONE, gone.verdict());

    try (FakeProcess other = FakeProcess.other(dir); FakeProcess ours = FakeProcess.tmuxOrc(dir)) {
      record(other.pid()).write(base);
      DaemonState.Stale reused = assertInstanceOf(DaemonState.Stale.class, DaemonState.of(base));
      assertEquals(ProcessCheck.Verdict.OTHER, reused.verdict());
      assertTrue(reused.reason().contains("another program"), reused.reason());

      record(ours.pid()).write(base);
      DaemonState.Running running = assertInstanceOf(DaemonState.Running.class, DaemonState.of(base));
      assertEquals(ours.pid(), running.record().pid());

      // The PID of a monitor that started an hour earlier, reused by a process that looks like tmux-orc
      // (another tmux-orc command, an editor in a tmux-orc directory): not the monitor, never signalled.
      record(ours.pid(), Instant.parse(ours.startedAt()).minusSeconds(3600).toString()).write(base);
      DaemonState.Stale recycled = assertInstanceOf(DaemonState.Stale.class, DaemonState.of(base));
      assertEquals(ProcessCheck.Verdict.OTHER, recycled.verdict());
    }
  }

  @Test
  void aZombieIsToldFromALiveProcess() throws Exception {
    // sh starts `sleep 0` in the background and becomes `sleep 5`, which never reaps it: a zombie for 5 s
    Process parent = new ProcessBuilder("/bin/sh", "-c", "sleep 0 & echo $!; exec sleep 5").start();
    try {
      // the first line only: the output ends when `sleep 5` does
      long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
          StandardCharsets.US_ASCII)).readLine().strip());
      long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (!ProcessCheck.isZombie(zombie) && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      assertTrue(ProcessCheck.isZombie(zombie), "the exited, unreaped sleep 0");
      assertFalse(ProcessCheck.isZombie(parent.pid()), "its live parent");
      assertFalse(ProcessCheck.isZombie(FakeProcess.deadPid()), "no such process");
      assertEquals(ProcessCheck.Verdict.GONE, ProcessCheck.check(zombie), "its command line is empty: it has exited");
      assertEquals(ProcessCheck.Verdict.OTHER, ProcessCheck.check(parent.pid()), "sleep is no tmux-orc");
    } finally {
      parent.destroyForcibly(); // its zombie child goes with it (reparented, then reaped)
      parent.waitFor();
    }
  }

  @Test
  void aLiveProcessWithAnEmptyCommandLineIsNoTmuxOrcButNotGoneEither() throws Exception {
    // a kernel thread: its /proc/PID/cmdline is empty for good (kthreadd is PID 2 where the kernel's are visible)
    Path comm = Path.of("/proc/2/comm");
    assumeTrue(Files.exists(comm) && Files.readString(comm).strip().equals("kthreadd"), "no kernel thread to see");
    assertEquals(ProcessCheck.Verdict.OTHER, ProcessCheck.check(2));
  }

  @Test
  void aTmuxOrcCommandLineIsRecognisedByItsWordsNotBySubstrings() {
    assertTrue(ProcessCheck.looksLikeTmuxOrc("/usr/bin/java -Xmx128m -cp /x/y.jar dev.tmuxorc.cli.Main monitor"));
    assertTrue(ProcessCheck.looksLikeTmuxOrc("java -Dtmuxorc.launcher=bin/tmux-orc -jar /opt/tmux-orc/lib/tmux-orc.jar"
        + " monitor"));
    assertTrue(ProcessCheck.looksLikeTmuxOrc("/tmp/junit1/tmux-orc-fake 100000"));
    assertFalse(ProcessCheck.looksLikeTmuxOrc("less /home/u/.tmux-orchestrator/logs/monitor.log"));
    assertFalse(ProcessCheck.looksLikeTmuxOrc("sleep 100000"));
  }

  @Test
  void theDaemonCommandLineRunsThisJvmInItsOwnSessionWithFileLogging() {
    DaemonCommandLine line = new DaemonCommandLine("/jdk/bin/java",
        List.of("-Xmx128m", "-Dtmuxorc.launcher=/opt/tmux-orc/bin/tmux-orc", "-Dlogback.configurationFile=x.xml",
            "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Dtmuxorc.baseDir=/elsewhere"),
        "/opt/tmux-orc/lib/tmux-orc.jar", Path.of("/usr/bin/setsid"));
    BaseDir base = new BaseDir(Path.of("/home/u/.tmux-orchestrator"));
    assertEquals(List.of("/usr/bin/setsid", "--fork", "/bin/sh", "-c", DaemonCommandLine.RECORD_PID_THEN_EXEC,
        "tmux-orc-start", "/home/u/.tmux-orchestrator/monitor.starting.pid", "/jdk/bin/java", "-Xmx128m",
        "-Dtmuxorc.launcher=/opt/tmux-orc/bin/tmux-orc", "-Dtmuxorc.daemon=true",
        "-Dtmuxorc.baseDir=/home/u/.tmux-orchestrator", "-Dtmuxorc.logs=/home/u/.tmux-orchestrator/logs", "-cp",
        "/opt/tmux-orc/lib/tmux-orc.jar", "dev.tmuxorc.cli.DaemonMain", "monitor", "--foreground", "-L", "work"),
        line.command(base, List.of("monitor", "--foreground", "-L", "work"), true));
    // not detached (a setsid without --fork): setsid runs in place, as the child itself
    assertEquals(List.of("/usr/bin/setsid", "/jdk/bin/java"),
        line.command(base, List.of("monitor"), false).subList(0, 2));
  }
}
