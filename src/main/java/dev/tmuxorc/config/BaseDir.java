package dev.tmuxorc.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where tmux-orc keeps its files (journal, PID file, logs, the user's configuration): the system property
 * {@code tmuxorc.baseDir}, else {@code $TMUX_ORCHESTRATOR_BASE_DIR}, else {@code ~/.tmux-orchestrator}.
 */
public record BaseDir(Path path) {

  public static final String ENV_VAR = "TMUX_ORCHESTRATOR_BASE_DIR";

  /**
   * Checked before the environment: tests cannot set environment variables in-process, and {@code monitor start}
   * hands its resolved base directory to the daemon with it.
   */
  public static final String PROPERTY = "tmuxorc.baseDir";

  public static BaseDir of(Map<String, String> env, Path home) {
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new BaseDir(Path.of(fromEnv).toAbsolutePath());
    }
    return new BaseDir(home.resolve(".tmux-orchestrator"));
  }

  /** The base directory of this process's environment. */
  public static BaseDir current() {
    String fromProperty = System.getProperty(PROPERTY);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return new BaseDir(Path.of(fromProperty).toAbsolutePath());
    }
    return of(System.getenv(), Path.of(System.getProperty("user.home")));
  }

  public Path journal() {
    return path.resolve("journal.db");
  }

  public Path pidFile() {
    return path.resolve("monitor.pid");
  }

  /** Beside the PID file: the running daemon's API URL, log file and start time, as JSON. */
  public Path daemonFile() {
    return path.resolve("monitor.json");
  }

  public Path logs() {
    return path.resolve("logs");
  }

  /** The daemon's own log (logback, rolled by size). */
  public Path monitorLog() {
    return logs().resolve("monitor.log");
  }

  /** The cycle reports of the daemon (logger {@code tmux-orc.performance}). */
  public Path performanceLog() {
    return logs().resolve("performance.log");
  }

  /** The daemon's stdout and stderr: what the JVM says before logback runs, and crashes. */
  public Path monitorOut() {
    return logs().resolve("monitor.out");
  }

  /** Held by the running monitor for its whole life: one monitor per base directory. */
  public Path runLock() {
    return path.resolve("monitor.run.lock");
  }

  /**
   * The PID of the monitor that {@code monitor start} is starting, written by its launch before Java runs (the
   * monitor is no child of the command that starts it), and removed once the start is over.
   */
  public Path startingPid() {
    return path.resolve("monitor.starting.pid");
  }

  /** Held by {@code monitor start} while it starts one, so that two starts cannot race. */
  public Path startLock() {
    return path.resolve("monitor.lock");
  }

  public Path config() {
    return path.resolve("application.conf");
  }
}
