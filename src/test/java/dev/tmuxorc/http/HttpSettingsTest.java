package dev.tmuxorc.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.SettingsException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

  private static HttpSettings read(Map<String, Object> overrides) {
    return HttpSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
  }

  private static String refused(Map<String, Object> overrides) {
    return assertThrows(SettingsException.class, () -> read(overrides)).getMessage();
  }

  @Test
  void defaults() {
    HttpSettings settings = read(Map.of());
    assertTrue(settings.enabled());
    assertEquals("127.0.0.1", settings.host());
    assertEquals(8585, settings.port());
    assertEquals(Optional.empty(), settings.token());
    assertEquals(64 * 1024, settings.maxBody());
    assertEquals(new HttpSettings.Sse(Duration.ofSeconds(15), 256, 10_000), settings.sse());
    assertEquals(Duration.ofMillis(500), settings.screenWatchInterval());
  }

  @Test
  void badValuesNameTheirFullKey() {
    assertTrue(refused(Map.of("tmux-orc.http.port", 70000)).contains("tmux-orc.http.port"));
    assertTrue(refused(Map.of("tmux-orc.http.port", "http")).contains("tmux-orc.http.port"));
    assertTrue(refused(Map.of("tmux-orc.http.max-body", "0")).contains("tmux-orc.http.max-body"));
    assertTrue(refused(Map.of("tmux-orc.http.sse.buffer", 0)).contains("tmux-orc.http.sse.buffer"));
    assertTrue(refused(Map.of("tmux-orc.http.sse.resume-limit", -1)).contains("tmux-orc.http.sse.resume-limit"));
    assertTrue(refused(Map.of("tmux-orc.http.sse.keep-alive", "0s")).contains("tmux-orc.http.sse.keep-alive"));
    assertTrue(refused(Map.of("tmux-orc.http.backend-timeout", "soon")).contains("tmux-orc.http.backend-timeout"));
    assertTrue(refused(Map.of("tmux-orc.http.host", " ")).contains("tmux-orc.http.host"));
    assertTrue(refused(Map.of("tmux-orc.http.screen-watch-interval", "0s"))
        .contains("tmux-orc.http.screen-watch-interval"));
  }

  @Test
  void keepAliveMustStayBelowTheServersIdleTimeout() {
    String message = refused(Map.of("tmux-orc.http.sse.keep-alive", "90s"));
    assertTrue(message.contains("tmux-orc.http.sse.keep-alive") && message.contains("idle-timeout"), message);
    read(Map.of("tmux-orc.http.sse.keep-alive", "90s", "pekko.http.server.idle-timeout", "infinite"));
  }

  @Test
  void aNonLoopbackHostWithoutATokenIsRefused() {
    for (String host : new String[] {"0.0.0.0", "::", "192.168.1.10", "example.org", "128.0.0.1"}) {
      String message = refused(Map.of("tmux-orc.http.host", host));
      assertTrue(message.contains("tmux-orc.http.host") && message.contains("tmux-orc.http.token"), message);
      assertEquals(Optional.of("t"), read(Map.of("tmux-orc.http.host", host, "tmux-orc.http.token", "t")).token());
    }
    // Not served at all: nothing to refuse.
    assertFalse(read(Map.of("tmux-orc.http.host", "0.0.0.0", "tmux-orc.http.enabled", false)).enabled());
  }

  @Test
  void loopbackHostsNeedNoToken() {
    for (String host : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"}) {
      assertTrue(HttpSettings.isLoopback(host), host);
      assertEquals(host, read(Map.of("tmux-orc.http.host", host)).host());
    }
  }

  @Test
  void settingsMadeInCodeAreCheckedToo() {
    HttpSettings.Sse sse = new HttpSettings.Sse(Duration.ofSeconds(15), 256, 10_000);
    assertThrows(SettingsException.class, () -> new HttpSettings(true, "0.0.0.0", 0, Optional.empty(), 1024,
        Duration.ofSeconds(5), sse, Duration.ofMillis(500)));
  }
}
