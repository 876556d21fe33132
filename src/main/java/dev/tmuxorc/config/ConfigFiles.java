package dev.tmuxorc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and loads the user's configuration: {@code --config FILE}, else {@code $TMUX_ORC_CONFIG}, else
 * {@code application.conf} in the base directory ({@link BaseDir}), else the built-in defaults alone.
 */
public final class ConfigFiles {

  public static final String ENV_VAR = "TMUX_ORC_CONFIG";

  /**
   * tmux-orc's Pekko settings, above every reference.conf: in the fat jar, Pekko's defaults follow ours in the
   * one concatenated reference.conf and would win.
   */
  static final String PEKKO_DEFAULTS = "tmux-orc-pekko.conf";

  private static final Logger log = LoggerFactory.getLogger(UnknownKeys.class);

  private ConfigFiles() {
  }

  /**
   * Where the configuration comes from, for messages; empty when only defaults apply. The default file lives in
   * the base directory, with everything else tmux-orc keeps ({@code $TMUX_ORCHESTRATOR_BASE_DIR} moves it too).
   */
  public static Optional<Path> locate(Optional<Path> explicit, Map<String, String> env, BaseDir base) {
    if (explicit.isPresent()) {
      return explicit;
    }
    String fromEnv = env.get(ENV_VAR);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(Path.of(fromEnv));
    }
    Path inBase = base.config();
    return Files.isRegularFile(inBase) ? Optional.of(inBase) : Optional.empty();
  }

  /** A loaded configuration and the warnings about the user's file (unknown keys). */
  public record Loaded(Config config, List<String> warnings) { }

  /**
   * Loads the located file with {@code overrides} (from command-line flags) on top and the defaults beneath,
   * logging a warning per unknown key.
   *
   * @throws SettingsException when the file is missing or malformed, or an environment override is invalid
   */
  public static Config load(Optional<Path> file, Map<String, ?> overrides) {
    Loaded loaded = load(file, overrides, System.getenv());
    loaded.warnings().forEach(log::warn);
    return loaded.config();
  }

  /**
   * Loads the located file (it must exist when named explicitly or by the environment). Precedence, highest
   * first: {@code -Dtmux-orc...} system properties ({@code ConfigFactory.load} puts them above all),
   * {@code overrides} (command-line flags), the {@link EnvOverrides} variables of {@code env}, the file,
   * {@link #PEKKO_DEFAULTS}, and the defaults (where {@code ${?TMUX_ORC_...}} substitutions of reference.conf
   * apply).
   */
  public static Loaded load(Optional<Path> file, Map<String, ?> overrides, Map<String, String> env) {
    try {
      Config user = ConfigFactory.empty();
      List<String> warnings = List.of();
      if (file.isPresent()) {
        Path path = file.get();
        if (!Files.isRegularFile(path)) {
          throw new SettingsException("configuration file not found: " + path);
        }
        user = ConfigFactory.parseFile(path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        warnings = UnknownKeys.ofReference().check(user);
      }
      Config withFlags = ConfigFactory.parseMap(overrides, "command-line flags")
          .withFallback(EnvOverrides.config(env))
          .withFallback(user)
          .withFallback(ConfigFactory.parseResources(ConfigFiles.class.getClassLoader(), PEKKO_DEFAULTS,
              ConfigParseOptions.defaults().setAllowMissing(false)));
      return new Loaded(ConfigFactory.load(withFlags), warnings);
    } catch (ConfigException e) {
      throw new SettingsException("invalid configuration: " + e.getMessage(), e);
    }
  }
}
