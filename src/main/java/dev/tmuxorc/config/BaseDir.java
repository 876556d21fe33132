package dev.tmuxorc.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where tmux-orc keeps its files (journal, PID file, logs, the user's configuration):
 * {@code $TMUX_ORCHESTRATOR_BASE_DIR}, else {@code ~/.tmux-orchestrator}.
 */
public record BaseDir(Path path) {

  public static final String ENV_VAR = "TMUX_ORCHESTRATOR_BASE_DIR";

  public static BaseDir of(Map<String, String> env, Path home) {
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new BaseDir(Path.of(fromEnv).toAbsolutePath());
    }
    return new BaseDir(home.resolve(".tmux-orchestrator"));
  }

  /** The base directory of this process's environment. */
  public static BaseDir current() {
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

  public Path config() {
    return path.resolve("application.conf");
  }
}
