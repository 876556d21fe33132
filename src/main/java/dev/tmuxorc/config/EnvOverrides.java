package dev.tmuxorc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The environment variables users of the original tool know, as configuration and log levels. They apply
 * beneath the command-line flags and above the configuration file (flags &gt; these variables &gt; file &gt;
 * defaults), and are read here rather than with {@code ${?...}} in reference.conf because the booleans map to
 * other values (a strategy, a log level) and a file must not silently win over an explicit variable.
 */
public final class EnvOverrides {

  public static final String FORCE_SYNC = "TMUX_ORC_FORCE_SYNC";
  public static final String ASYNC_DISABLED = "TMUX_ORC_ASYNC_DISABLED";
  public static final String POOL_SIZE = "TMUX_ORC_POOL_SIZE";
  public static final String CACHE_TTL = "TMUX_ORC_CACHE_TTL";
  public static final String PERF_LOGGING = "TMUX_ORC_PERF_LOGGING";
  public static final String DEBUG_ASYNC = "TMUX_ORC_DEBUG_ASYNC";

  /** The logger the cycle reports go to; the daemon routes it to performance.log. */
  public static final String PERFORMANCE_LOGGER = "tmux-orc.performance";

  private EnvOverrides() {
  }

  /**
   * The configuration these variables give, one layer per variable so that {@code config check} can say which
   * variable set a key.
   *
   * @throws SettingsException naming the variable when its value is not a boolean, number or duration
   */
  public static Config config(Map<String, String> env) {
    Config layer = ConfigFactory.empty();
    if (flag(env, FORCE_SYNC) || flag(env, ASYNC_DISABLED)) {
      String variable = flag(env, FORCE_SYNC) ? FORCE_SYNC : ASYNC_DISABLED;
      layer = layer.withFallback(one(variable, "tmux-orc.monitoring.strategy", Strategy.POLLING.wireName()));
    }
    String poolSize = value(env, POOL_SIZE);
    if (poolSize != null) {
      int size;
      try {
        size = Integer.parseInt(poolSize);
      } catch (NumberFormatException e) {
        throw new SettingsException("invalid environment: " + POOL_SIZE + "='" + poolSize + "' is not a number");
      }
      layer = layer.withFallback(one(POOL_SIZE, "tmux-orc.monitoring.pool.max-size", size));
    }
    String ttl = value(env, CACHE_TTL);
    if (ttl != null) {
      // a bare number is seconds, as in the original tool; otherwise a HOCON duration ("30s", "2m")
      Object duration = ttl.matches("\\d+(\\.\\d+)?") ? ttl + "s" : ttl;
      layer = layer.withFallback(one(CACHE_TTL, "tmux-orc.monitoring.screen-reuse.max-age", duration));
    }
    return layer;
  }

  /**
   * Log levels these variables ask for, by logger name: {@code TMUX_ORC_DEBUG_ASYNC=true} makes the tmux and
   * monitor packages log at DEBUG; {@code TMUX_ORC_PERF_LOGGING=false} silences the cycle reports.
   */
  public static Map<String, String> loggerLevels(Map<String, String> env) {
    Map<String, String> levels = new LinkedHashMap<>();
    if (flag(env, DEBUG_ASYNC)) {
      levels.put("dev.tmuxorc.tmux", "DEBUG");
      levels.put("dev.tmuxorc.monitor", "DEBUG");
    }
    if (value(env, PERF_LOGGING) != null && !flag(env, PERF_LOGGING)) {
      levels.put(PERFORMANCE_LOGGER, "OFF");
    }
    return levels;
  }

  private static Config one(String variable, String key, Object value) {
    return ConfigFactory.parseMap(Map.of(key, value), "environment variable " + variable);
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static boolean flag(Map<String, String> env, String name) {
    String value = value(env, name);
    if (value == null) {
      return false;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new SettingsException("invalid environment: " + name + "='" + value
          + "' is not a boolean (true or false)");
    };
  }
}
