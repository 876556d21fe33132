package dev.tmuxorc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvOverridesTest {

  @TempDir
  Path dir;

  @Test
  void theOriginalToolsVariablesMapToKeys() {
    Config config = EnvOverrides.config(Map.of(
        "TMUX_ORC_FORCE_SYNC", "true", "TMUX_ORC_POOL_SIZE", "8", "TMUX_ORC_CACHE_TTL", "45"));
    assertEquals("polling", config.getString("tmux-orc.monitoring.strategy"));
    assertEquals(8, config.getInt("tmux-orc.monitoring.pool.max-size"));
    assertEquals(Duration.ofSeconds(45), config.getDuration("tmux-orc.monitoring.screen-reuse.max-age"));
    assertEquals("environment variable TMUX_ORC_POOL_SIZE",
        config.getValue("tmux-orc.monitoring.pool.max-size").origin().description());

    assertEquals("polling", EnvOverrides.config(Map.of("TMUX_ORC_ASYNC_DISABLED", "1"))
        .getString("tmux-orc.monitoring.strategy"));
    assertTrue(EnvOverrides.config(Map.of("TMUX_ORC_FORCE_SYNC", "false", "TMUX_ORC_CACHE_TTL", "")).isEmpty());
    assertEquals(Duration.ofMinutes(2), EnvOverrides.config(Map.of("TMUX_ORC_CACHE_TTL", "2m"))
        .getDuration("tmux-orc.monitoring.screen-reuse.max-age"));
  }

  @Test
  void badValuesNameTheVariable() {
    SettingsException e = assertThrows(SettingsException.class,
        () -> EnvOverrides.config(Map.of("TMUX_ORC_FORCE_SYNC", "maybe")));
    assertTrue(e.getMessage().contains("TMUX_ORC_FORCE_SYNC='maybe' is not a boolean"), e.getMessage());
    e = assertThrows(SettingsException.class, () -> EnvOverrides.config(Map.of("TMUX_ORC_POOL_SIZE", "many")));
    assertTrue(e.getMessage().contains("TMUX_ORC_POOL_SIZE"), e.getMessage());
  }

  @Test
  void loggerLevels() {
    assertEquals(Map.of("dev.tmuxorc.tmux", "DEBUG", "dev.tmuxorc.monitor", "DEBUG"),
        EnvOverrides.loggerLevels(Map.of("TMUX_ORC_DEBUG_ASYNC", "true")));
    assertEquals(Map.of("tmux-orc.performance", "OFF"),
        EnvOverrides.loggerLevels(Map.of("TMUX_ORC_PERF_LOGGING", "false")));
    assertEquals(Map.of(), EnvOverrides.loggerLevels(Map.of("TMUX_ORC_PERF_LOGGING", "true")));
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"),
        "tmux-orc.monitoring { strategy = concurrent, pool.max-size = 3, poll-interval = 2s }\n");
    Map<String, String> env = Map.of("TMUX_ORC_FORCE_SYNC", "true", "TMUX_ORC_POOL_SIZE", "6");

    ConfigFiles.Loaded fromEnv = ConfigFiles.load(Optional.of(file), Map.of(), env);
    assertEquals("polling", fromEnv.config().getString("tmux-orc.monitoring.strategy"));
    assertEquals(6, fromEnv.config().getInt("tmux-orc.monitoring.pool.max-size"));
    assertEquals(Duration.ofSeconds(2), fromEnv.config().getDuration("tmux-orc.monitoring.poll-interval"));

    ConfigFiles.Loaded withFlags = ConfigFiles.load(Optional.of(file),
        Map.of("tmux-orc.monitoring.pool.max-size", 1), env);
    assertEquals(1, withFlags.config().getInt("tmux-orc.monitoring.pool.max-size"));
    Settings.from(withFlags.config());
  }

  @Test
  void unknownKeysOfTheFileAreReturnedAsWarnings() throws Exception {
    Path file = Files.writeString(dir.resolve("app.conf"), "tmux-orc.monitoring.pol-interval = 2s\n");
    ConfigFiles.Loaded loaded = ConfigFiles.load(Optional.of(file), Map.of(), Map.of());
    assertEquals(1, loaded.warnings().size());
    assertTrue(loaded.warnings().get(0).contains("did you mean tmux-orc.monitoring.poll-interval?"));
  }
}
