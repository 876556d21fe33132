package dev.tmuxorc.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.testing.TestSettings;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The layers keep their bounds and count what happens to them; a full agent_status layer is said, once. */
class CachesTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void moreAgentsThanTheLayerHoldsIsWarnedAboutOnceAndCountedAsEvictions() {
    Settings settings = TestSettings.settings("unused", Map.of("tmux-orc.cache.agent-status.max-size", 2));
    Caches caches = new Caches(settings);
    Cache<Integer, String> statuses = caches.layer(CacheLayer.AGENT_STATUS);
    LoggingTestKit.warn("raise it").withOccurrences(1).expect(testKit.system(), () -> {
      for (int i = 0; i < 6; i++) {
        statuses.put(i, "agent " + i);
        caches.cleanUp(); // eviction runs now rather than on Caffeine's own schedule
      }
      return null;
    });
    CacheStats stats = caches.stats().stream().filter(s -> s.layer().equals("agent_status")).findFirst()
        .orElseThrow();
    assertEquals(2, stats.size());
    assertEquals(2, stats.maxSize());
    assertEquals(4, stats.evictions());
    assertEquals(List.of("agent_status"), caches.stats().stream().map(CacheStats::layer).toList(),
        "only the layers someone built");
  }
}
