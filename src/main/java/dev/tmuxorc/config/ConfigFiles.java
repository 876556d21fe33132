package dev.tmuxorc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds and loads the user's configuration: {@code --config FILE}, else {@code $TMUX_ORC_CONFIG}, else
 * {@code ~/.tmux-orchestrator/application.conf}, else the built-in defaults alone.
 */
public final class ConfigFiles {

  public static final String ENV_VAR = "TMUX_ORC_CONFIG";

  private ConfigFiles() {
  }

  /** Where the configuration comes from, for messages; empty when only defaults apply. */
  public static Optional<Path> locate(Optional<Path> explicit, Map<String, String> env, Path home) {
    if (explicit.isPresent()) {
      return explicit;
    }
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(Path.of(fromEnv));
    }
    Path inHome = home.resolve(".tmux-orchestrator").resolve("application.conf");
    return Files.isRegularFile(inHome) ? Optional.of(inHome) : Optional.empty();
  }

  /**
   * Loads the located file (it must exist when named explicitly or by the environment) with
   * {@code overrides} (from command-line flags) on top and the defaults beneath.
   *
   * @throws SettingsException when the file is missing or malformed
   */
  public static Config load(Optional<Path> file, Map<String, ?> overrides) {
    try {
      Config user = ConfigFactory.empty();
      if (file.isPresent()) {
        Path path = file.get();
        if (!Files.isRegularFile(path)) {
          throw new SettingsException("configuration file not found: " + path);
        }
        user = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      }
      Config withFlags = ConfigFactory.parseMap(overrides, "command-line flags").withFallback(user);
      return ConfigFactory.load(withFlags);
    } catch (ConfigException e) {
      throw new SettingsException("invalid configuration: " + e.getMessage(), e);
    }
  }
}
