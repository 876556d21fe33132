package dev.tmuxorc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tmux-orc's Pekko settings apply above Pekko's defaults, and the user's file still wins over them. */
class ConfigFilesTest {

  @TempDir
  Path dir;

  @Test
  void pekkoSettingsOfTmuxOrcApplyAndTheUsersFileOverridesThem() throws Exception {
    Config defaults = ConfigFiles.load(Optional.empty(), Map.of(), Map.of()).config();
    assertEquals(List.of("org.apache.pekko.event.slf4j.Slf4jLogger"), defaults.getStringList("pekko.loggers"));
    assertEquals(32 * 1024, defaults.getBytes("pekko.io.tcp.direct-buffer-size"));
    assertEquals(16, defaults.getInt("pekko.io.tcp.direct-buffer-pool-limit"));

    Path file = Files.writeString(dir.resolve("app.conf"), "pekko.io.tcp.direct-buffer-pool-limit = 100\n");
    Config user = ConfigFiles.load(Optional.of(file), Map.of(), Map.of()).config();
    assertEquals(100, user.getInt("pekko.io.tcp.direct-buffer-pool-limit"));
  }

  @Test
  void ourReferenceConfSetsNothingUnderPekko() {
    // In the fat jar every reference.conf is concatenated into one, ours first: a pekko block in ours would be
    // overridden by Pekko's own defaults that follow it (it was: Pekko logged through its stdout logger).
    Config ours = ConfigFactory.parseURL(ConfigFiles.class.getResource("/reference.conf"),
        ConfigParseOptions.defaults().setAllowMissing(false));
    assertFalse(ours.hasPath("pekko"), () -> ours.getValue("pekko").origin().description());
  }
}
