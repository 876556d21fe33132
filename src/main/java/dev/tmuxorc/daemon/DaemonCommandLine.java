package dev.tmuxorc.daemon;

import dev.tmuxorc.config.BaseDir;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line of a detached monitor: this same JVM (binary, flags, class path) running
 * {@code dev.tmuxorc.cli.DaemonMain} with the given tmux-orc arguments, in a session of its own ({@code setsid}) so
 * that closing the terminal does not signal it, and with the system properties that make it log to files.
 *
 * @param java the java binary
 * @param jvmFlags the JVM flags to keep (heap, GC, {@code -Dtmuxorc.launcher}, the user's JAVA_OPTS)
 * @param classPath the class path (the fat jar when run with {@code -jar})
 * @param setsid the setsid binary, when there is one
 */
public record DaemonCommandLine(String java, List<String> jvmFlags, String classPath, Path setsid) {

  /** Set for the daemon: it logs to files, not stderr (dev.tmuxorc.cli.LogSetup). */
  public static final String DAEMON_PROPERTY = "tmuxorc.daemon";
  /** The absolute log directory, for the daemon's logging (resolved here, where the base directory is known). */
  public static final String LOGS_PROPERTY = "tmuxorc.logs";
  public static final String MAIN_CLASS = "dev.tmuxorc.cli.DaemonMain";
  /** Set by the launcher for a start in place (dev.tmuxorc.cli.StartInPlace): where it waits for the report. */
  public static final String START_REPORT_PROPERTY = "tmuxorc.startReport";
  /** Set by the launcher for a start in place: when it started, in ms since the epoch. */
  public static final String STARTED_AT_PROPERTY = "tmuxorc.startedAt";

  /**
   * Flags a daemon must not inherit: our own properties (set anew, or a start in place's), a logback file of the
   * user's (it would replace the daemon's log files) and a debugger's, whose port is taken.
   */
  private static final List<String> DROPPED = List.of("-D" + DAEMON_PROPERTY + "=", "-D" + LOGS_PROPERTY + "=",
      "-D" + BaseDir.PROPERTY + "=", "-D" + START_REPORT_PROPERTY + "=", "-D" + STARTED_AT_PROPERTY + "=",
      "-Dlogback.configurationFile=", "-agentlib:jdwp", "-Xrunjdwp", "-Xdebug");

  public DaemonCommandLine {
    jvmFlags = List.copyOf(jvmFlags);
  }

  /** The JVM this process runs in. */
  public static DaemonCommandLine ofThisJvm() {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Path setsid = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid")).stream()
        .filter(Files::isExecutable).findFirst().orElse(null);
    // absolute, since the daemon runs in the base directory (so that it pins no directory of the user's)
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
    return new DaemonCommandLine(java, ManagementFactory.getRuntimeMXBean().getInputArguments(), classPath, setsid);
  }

  /**
   * The launch's shell: writes its PID to the file named by its first argument, then becomes the monitor (exec
   * keeps the PID). A fixed text: every value reaches it as an argument, none is parsed as shell code.
   */
  static final String RECORD_PID_THEN_EXEC = "echo $$ > \"$1\" && shift && exec \"$@\"";

  /**
   * Whether {@link #command} can detach: with setsid, the process started is only a launch that exits at once,
   * and the monitor (its child, in a session of its own) writes its PID to {@link BaseDir#startingPid()}.
   * Without a setsid binary the process started is the monitor itself.
   */
  public boolean detaches() {
    return setsid != null;
  }

  /**
   * The full command line running tmux-orc with {@code args} as the daemon of {@code base}. {@code detached}
   * (setsid needed): {@code setsid --fork}, so that the monitor is no child of {@code monitor start} (a JVM
   * leaving with a child still running waits ~0.3 s at its exit for the thread waiting on that child), through
   * a shell that records the monitor's PID. Otherwise setsid (when there is one) runs in place, as the child
   * itself: no process-group leader, so it does not fork, and the PID stays the child's. For a setsid without
   * {@code --fork} (busybox, util-linux before 2.25).
   */
  public List<String> command(BaseDir base, List<String> args, boolean detached) {
    List<String> command = new ArrayList<>();
    if (detached && setsid != null) {
      command.addAll(List.of(setsid.toString(), "--fork", "/bin/sh", "-c", RECORD_PID_THEN_EXEC, "tmux-orc-start",
          base.startingPid().toAbsolutePath().toString()));
    } else if (setsid != null) {
      command.add(setsid.toString());
    }
    command.add(java);
    jvmFlags.stream().filter(flag -> DROPPED.stream().noneMatch(flag::startsWith)).forEach(command::add);
    command.add("-D" + DAEMON_PROPERTY + "=true");
    command.add("-D" + BaseDir.PROPERTY + "=" + base.path().toAbsolutePath());
    command.add("-D" + LOGS_PROPERTY + "=" + base.logs().toAbsolutePath());
    command.add("-cp");
    command.add(classPath);
    command.add(MAIN_CLASS);
    command.addAll(args);
    return command;
  }
}
