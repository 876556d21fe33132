package dev.tmuxorc.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.SettingsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JournalSettingsTest {

  private static JournalSettings with(String journal) {
    return JournalSettings.from(ConfigFactory.parseString("tmux-orc.journal {" + journal + "}")
        .withFallback(ConfigFactory.load()));
  }

  @Test
  void theDefaultsAreThoseOfReferenceConf() {
    JournalSettings settings = with("");
    assertTrue(settings.enabled());
    assertEquals(Optional.empty(), settings.path());
    assertEquals(Duration.ofDays(14), settings.maxAge());
    assertEquals(200_000_000L, settings.maxSizeBytes());
    assertEquals(Duration.ofMinutes(10), settings.checkInterval());
    assertEquals(256, settings.batchSize());
    assertEquals(Duration.ofMillis(100), settings.flushInterval());
    assertEquals(3_000, settings.memoryEntries());
    assertEquals(Duration.ofSeconds(1), settings.retryMin());
    assertEquals(Duration.ofSeconds(30), settings.retryMax());
  }

  @Test
  void theFileIsInTheBaseDirectoryUnlessAPathIsSet() {
    BaseDir base = new BaseDir(Path.of("/srv/orc"));
    assertEquals(Path.of("/srv/orc/journal.db"), with("").file(base));
    assertEquals(Path.of("/var/lib/orc.db"), with("path = \"/var/lib/orc.db\"").file(base));
    assertEquals(Path.of("/srv/orc/j/x.db"), with("path = \"j/x.db\"").file(base));
    assertEquals(Path.of(System.getProperty("user.home"), "x.db"), with("path = \"~/x.db\"").file(base));
  }

  @Test
  void zeroTurnsARetentionLimitOff() {
    JournalSettings settings = with("retention { max-age = 0, max-size = 0 }");
    assertEquals(Duration.ZERO, settings.maxAge());
    assertEquals(0, settings.maxSizeBytes());
  }

  @Test
  void badValuesNameTheirFullKey() {
    assertMessage("tmux-orc.journal.batch-size", "batch-size = 0");
    assertMessage("tmux-orc.journal.memory-entries", "memory-entries = 10, batch-size = 20");
    assertMessage("tmux-orc.journal.flush-interval", "flush-interval = 0s");
    assertMessage("tmux-orc.journal.retention.max-age", "retention.max-age = -1d");
    assertMessage("tmux-orc.journal.retention.max-size", "retention.max-size = lots");
    assertMessage("tmux-orc.journal.retention.check-interval", "retention.check-interval = 0");
    assertMessage("tmux-orc.journal.retry-backoff.max", "retry-backoff { min = 10s, max = 1s }");
    assertMessage("tmux-orc.journal.enabled", "enabled = maybe");
  }

  private static void assertMessage(String key, String journal) {
    SettingsException e = assertThrows(SettingsException.class, () -> with(journal));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }
}
