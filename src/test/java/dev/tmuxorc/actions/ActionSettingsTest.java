package dev.tmuxorc.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.SettingsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every action is off by default, and a bad value names its key. */
class ActionSettingsTest {

  private static ActionSettings with(String hocon) {
    return ActionSettings.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.load()).resolve());
  }

  @Test
  void everythingIsOffByDefaultWithTheIssuesDefaults() {
    ActionSettings actions = with("");
    assertFalse(actions.dryRun());
    assertFalse(actions.pmReports().enabled());
    assertFalse(actions.autoSubmit().enabled());
    assertFalse(actions.recovery().enabled());
    assertFalse(actions.rateLimit().resume());
    assertTrue(actions.people().webhooks().isEmpty());
    assertEquals(Duration.ofMinutes(5), actions.pmReports().cooldowns().get("idle"));
    assertEquals(Duration.ofMinutes(30), actions.pmReports().cooldowns().get("missing"));
    assertEquals(3, actions.recovery().maxRestarts());
    assertEquals("continue", actions.rateLimit().message());
  }

  @Test
  void badValuesNameTheirKey() {
    SettingsException url = assertThrows(SettingsException.class,
        () -> with("tmux-orc.actions.people.webhooks = [\"ftp://x\"]"));
    assertTrue(url.getMessage().contains("tmux-orc.actions.people.webhooks"), url.getMessage());
    SettingsException message = assertThrows(SettingsException.class,
        () -> with("tmux-orc.actions.rate-limit.message = \"go\\non\""));
    assertTrue(message.getMessage().contains("tmux-orc.actions.rate-limit.message"), message.getMessage());
    SettingsException cooldown = assertThrows(SettingsException.class,
        () -> with("tmux-orc.actions.pm-reports.cooldowns.crash = 1m"));
    assertTrue(cooldown.getMessage().contains("tmux-orc.actions.pm-reports.cooldowns.crash"), cooldown.getMessage());
    SettingsException attempts = assertThrows(SettingsException.class,
        () -> with("tmux-orc.actions.auto-submit.attempts = 0"));
    assertTrue(attempts.getMessage().contains("tmux-orc.actions.auto-submit.attempts"), attempts.getMessage());
  }
}
