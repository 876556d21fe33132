package dev.tmuxorc.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.tmuxorc.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the cache layers (Caffeine: bounded, expiring, with statistics) for their owners, and reads every
 * layer's statistics. The owners use their layer directly, so the capture path never waits on a mailbox; the
 * {@link PaneCache} actor owns their upkeep and answers for their statistics.
 */
public final class Caches {

  private final Settings.Caches settings;
  private final Duration screenMaxAge;
  private static final Logger log = LoggerFactory.getLogger(Caches.class);

  private final Map<CacheLayer, Cache<?, ?>> built = new EnumMap<>(CacheLayer.class);
  private final AtomicBoolean fullSaid = new AtomicBoolean();

  public Caches(Settings settings) {
    this.settings = settings.caches();
    this.screenMaxAge = settings.monitoring().screenReuse().maxAge();
  }

  /** The layer's cache, built once with its bounds from the configuration. */
  @SuppressWarnings("unchecked")
  public synchronized <K, V> Cache<K, V> layer(CacheLayer layer) {
    return (Cache<K, V>) built.computeIfAbsent(layer, this::build);
  }

  private Cache<Object, Object> build(CacheLayer layer) {
    Caffeine<Object, Object> builder = Caffeine.newBuilder().maximumSize(maxSize(layer)).recordStats();
    switch (layer) {
      // A screen older than max-age is captured again anyway (each entry also carries its own, jittered, expiry).
      case PANE_CONTENT -> builder.expireAfterWrite(screenMaxAge);
      // Refreshed by every discovery: a session that no listing has shown for this long is gone.
      case SESSION_INFO -> builder.expireAfterWrite(settings.sessionInfoTtl());
      // Agents leave when their pane does (AgentGone), not by age; an agent evicted for size is missing from
      // every listing, so that is said, once.
      case AGENT_STATUS -> builder.evictionListener((key, value, cause) -> {
        if (cause == RemovalCause.SIZE && !fullSaid.getAndSet(true)) {
          log.warn("more agents than tmux-orc.cache.agent-status.max-size ({}): some are missing from the API and "
              + "the CLI; raise it", maxSize(layer));
        }
      });
      default -> throw new IllegalArgumentException(layer.name());
    }
    return builder.build();
  }

  public long maxSize(CacheLayer layer) {
    return switch (layer) {
      case PANE_CONTENT -> settings.paneContentMaxSize();
      case AGENT_STATUS -> settings.agentStatusMaxSize();
      case SESSION_INFO -> settings.sessionInfoMaxSize();
    };
  }

  /** Every built layer's statistics, in layer order. */
  public synchronized List<CacheStats> stats() {
    List<CacheStats> stats = new ArrayList<>();
    built.forEach((layer, cache) -> {
      var s = cache.stats();
      stats.add(new CacheStats(layer.wireName(), cache.estimatedSize(), maxSize(layer), s.hitCount(),
          s.missCount(), s.evictionCount(), s.requestCount() == 0 ? 0 : Math.round(s.hitRate() * 1000) / 1000.0));
    });
    return stats;
  }

  /** Runs pending expiry and eviction work now (Caffeine otherwise does it piggy-backed on writes). */
  public synchronized void cleanUp() {
    built.values().forEach(Cache::cleanUp);
  }
}
