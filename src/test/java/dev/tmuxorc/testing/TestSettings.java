package dev.tmuxorc.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.Settings;
import java.util.HashMap;
import java.util.Map;

/** Settings for tests: built-in defaults, the private socket, fast intervals, and any overrides. */
public final class TestSettings {

  private TestSettings() {
  }

  public static Config config(String socket, Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>();
    all.put("tmux-orc.tmux.socket-name", socket);
    all.put("tmux-orc.monitoring.poll-interval", "200ms");
    all.put("tmux-orc.monitoring.strategy", "concurrent");
    all.put("tmux-orc.tmux.reconnect-backoff.min", "50ms");
    all.put("tmux-orc.tmux.reconnect-backoff.max", "200ms");
    all.putAll(overrides);
    return ConfigFactory.load(ConfigFactory.parseMap(all));
  }

  public static Settings settings(String socket, Map<String, Object> overrides) {
    return Settings.from(config(socket, overrides));
  }

  public static Settings settings(String socket) {
    return settings(socket, Map.of());
  }
}
