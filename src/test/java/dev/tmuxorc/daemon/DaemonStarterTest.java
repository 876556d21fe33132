package dev.tmuxorc.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.testing.FakeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start protocol with a shell script in the place of java: it is run in BASE with the daemon's arguments,
 * and records itself (or fails) as the real monitor would.
 */
class DaemonStarterTest {

  @TempDir
  Path dir;

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  private DaemonCommandLine fakeJava(String script) throws Exception {
    return fakeJava(script, null);
  }

  /** With {@code setsid}, started detached as the real one is. */
  private DaemonCommandLine fakeJava(String script, Path setsid) throws Exception {
    Path java = dir.resolve("fake-java");
    Files.writeString(java, "#!/bin/sh\n" + script);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    return new DaemonCommandLine(java.toString(), List.of(), "unused.jar", setsid);
  }

  private static Path setsid() {
    assumeTrue(Files.isExecutable(SETSID), "no " + SETSID);
    return SETSID;
  }

  @Test
  void detachedTheMonitorIsNoChildOfTheStartAndItsPidComesFromItsLaunch() throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    long pid = startARecordingMonitor(base, setsid());
    try {
      assertTrue(ProcessHandle.of(pid).isPresent(), "running");
      assertTrue(ProcessHandle.current().children().noneMatch(child -> child.pid() == pid),
          "not our child: this JVM's exit must not wait for it");
      assertFalse(Files.exists(base.startingPid()), "the launch's PID file is removed");
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aSetsidThatCannotForkStartsTheMonitorAsAChild() throws Exception {
    // busybox's setsid, util-linux before 2.25: no --fork
    Path oldSetsid = dir.resolve("old-setsid");
    Files.writeString(oldSetsid, "#!/bin/sh\n"
        + "[ \"$1\" = --fork ] && { echo \"setsid: unrecognized option\" >&2; exit 1; }\n"
        + "exec \"$@\"\n");
    Files.setPosixFilePermissions(oldSetsid, PosixFilePermissions.fromString("rwx------"));
    long pid = startARecordingMonitor(new BaseDir(dir.resolve("base")), oldSetsid);
    try {
      assertTrue(ProcessHandle.current().children().anyMatch(child -> child.pid() == pid), "started as our child");
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Starts a fake monitor that records itself a moment after starting, and returns its PID. */
  private long startARecordingMonitor(BaseDir base, Path setsid) throws Exception {
    DaemonCommandLine line = fakeJava("""
        sleep 0.2
        printf '{"pid":%s,"url":"http://127.0.0.1:9"}' $$ > monitor.json.tmp && mv monitor.json.tmp monitor.json
        exec sleep 100000
        """, setsid);
    DaemonStarter.Started started = assertInstanceOf(DaemonStarter.Started.class,
        new DaemonStarter(base, line, record -> true).start(List.of("monitor"), Duration.ofSeconds(30)));
    return started.record().pid();
  }

  @Test
  void detachedAMonitorThatExitsDuringStartUpIsReportedWithItsOutput() throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    DaemonCommandLine line = fakeJava("echo 'tmux-orc: invalid configuration: tmux-orc.x: bad' >&2\nexit 2\n",
        setsid());
    DaemonStarter.Failed failed = assertInstanceOf(DaemonStarter.Failed.class,
        new DaemonStarter(base, line, record -> true).start(List.of("monitor"), Duration.ofSeconds(30)));
    assertEquals("the monitor exited during start-up", failed.reason());
    assertEquals(List.of("tmux-orc: invalid configuration: tmux-orc.x: bad"), failed.output());
  }

  @Test
  void detachedAMonitorThatNeverBecomesReadyIsStopped() throws Exception {
    assertANeverReadyMonitorIsStopped(setsid());
  }

  @Test
  void startsReplacesAStaleRecordAndWaitsForTheChildToRecordItself() throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    new DaemonRecord(FakeProcess.deadPid(), "http://127.0.0.1:1", null, null, null, null, List.of()).write(base);
    // runs in BASE; records itself a moment after starting, like a monitor once its API is bound
    DaemonCommandLine line = fakeJava("""
        echo "starting with: $*"
        sleep 0.3
        printf '{"pid":%s,"url":"http://127.0.0.1:9"}' $$ > monitor.json.tmp && mv monitor.json.tmp monitor.json
        echo $$ > monitor.pid
        exec sleep 100000
        """);
    DaemonStarter.Outcome outcome = new DaemonStarter(base, line, record -> true)
        .start(List.of("monitor", "--foreground"), Duration.ofSeconds(30));
    DaemonStarter.Started started = assertInstanceOf(DaemonStarter.Started.class, outcome);
    try {
      assertTrue(started.staleRemoved().isPresent(), "the stale record was replaced");
      assertEquals("http://127.0.0.1:9", started.record().url());
      String out = Files.readString(base.monitorOut());
      assertTrue(out.contains("starting with: -Dtmuxorc.daemon=true -Dtmuxorc.baseDir=" + base.path()), out);
      assertTrue(out.contains(DaemonCommandLine.MAIN_CLASS + " monitor --foreground"), out);
    } finally {
      ProcessHandle.of(started.record().pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aChildThatExitsDuringStartUpIsReportedWithItsOutput() throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    Files.createDirectories(base.logs());
    Files.writeString(base.monitorOut(), "an older start's output\n");
    DaemonCommandLine line = fakeJava("echo 'tmux-orc: invalid configuration: tmux-orc.x: bad' >&2\nexit 2\n");
    DaemonStarter.Failed failed = assertInstanceOf(DaemonStarter.Failed.class,
        new DaemonStarter(base, line, record -> true).start(List.of("monitor"), Duration.ofSeconds(30)));
    assertEquals("the monitor exited with status 2 during start-up", failed.reason());
    assertEquals(List.of("tmux-orc: invalid configuration: tmux-orc.x: bad"), failed.output(),
        "only what this start wrote");
    assertFalse(Files.exists(base.pidFile()));
  }

  @Test
  void aChildThatNeverBecomesReadyIsStopped() throws Exception {
    assertANeverReadyMonitorIsStopped(null);
  }

  private void assertANeverReadyMonitorIsStopped(Path setsid) throws Exception {
    BaseDir base = new BaseDir(dir.resolve("base"));
    DaemonCommandLine line = fakeJava("""
        printf '{"pid":%s,"url":"http://127.0.0.1:9"}' $$ > monitor.json
        exec sleep 100000
        """, setsid);
    DaemonStarter.Failed failed = assertInstanceOf(DaemonStarter.Failed.class,
        new DaemonStarter(base, line, record -> false).start(List.of("monitor"), Duration.ofMillis(800)));
    assertTrue(failed.reason().contains("/health/ready did not answer 200"), failed.reason());
    // detached, it is no child of ours: a zombie until its new parent reaps it, which ProcessCheck counts as gone
    assertEquals(ProcessCheck.Verdict.GONE, ProcessCheck.check(failed.pid()), "stopped");
  }
}
