package dev.tmuxorc.config;

import static dev.tmuxorc.config.ConfigValues.atLeast;
import static dev.tmuxorc.config.ConfigValues.invalid;
import static dev.tmuxorc.config.ConfigValues.notNegative;
import static dev.tmuxorc.config.ConfigValues.positive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.tmuxorc.detect.HookMeaning;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.DiscoverySettings;
import dev.tmuxorc.tmux.ClientKind;
import dev.tmuxorc.tmux.PoolSettings;
import dev.tmuxorc.tmux.TmuxSettings;
import dev.tmuxorc.tmux.TmuxServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All of tmux-orc's settings, read once from the {@code tmux-orc} config tree and validated. */
public record Settings(TmuxSettings tmux, Monitoring monitoring, DiscoverySettings discovery, Caches caches,
    Health health, Hooks hooks, Duration askTimeout, Config detection) {

  /** The monitoring cycle. */
  public record Monitoring(Strategy strategy, Duration pollInterval, Duration checkInterval, int captureBatchSize,
      Duration idleDebounce, Duration confirmDelay, int maxFailures, Duration reportInterval, PoolSettings pool,
      ScreenReuse screenReuse) { }

  /** Whether full cycles reuse the screens of panes that tmux shows had no activity since their capture. */
  public record ScreenReuse(boolean enabled, Duration maxAge) { }

  /** The limits of {@code tmux-orc health}'s checks. */
  public record Health(Duration cycleP95Max, long poolTimeoutsMax, double cacheHitRateMin, long cacheMinLookups,
      int criticalAgentsMax, int unresponsiveAgentsMax, int hooksSilentAgentsMax) { }

  /**
   * How hook events are read and fused with the screen (docs/detection.md): what each event means, per source
   * ({@code claude}, {@code codex}, {@code gemini}) and event name, or {@code "Event:value"} for an event whose
   * qualifying field (e.g. {@code notification_type}) has that value.
   */
  public record Hooks(Duration stalledAfter, Duration silenceAfter, Duration echo, Duration disagreeAfter,
      Map<String, Map<String, HookMeaning>> mapping) { }

  /** Bounds of the cache layers. */
  public record Caches(long paneContentMaxSize, long agentStatusMaxSize, long sessionInfoMaxSize,
      Duration sessionInfoTtl) { }

  /**
   * Reads and validates the {@code tmux-orc} tree of a resolved config. Every value is read by its full path,
   * so that every message names the full key.
   *
   * @throws SettingsException naming the offending key
   */
  public static Settings from(Config root) {
    try {
      return new Settings(tmux(root), monitoring(root), discovery(root), caches(root), health(root),
          hooks(root), positive(root, "tmux-orc.ask-timeout"), root.getConfig("tmux-orc.detection"));
    } catch (ConfigException e) {
      throw new SettingsException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static TmuxSettings tmux(Config c) {
    ClientKind client;
    try {
      client = ClientKind.parse(c.getString("tmux-orc.tmux.client"));
    } catch (IllegalArgumentException e) {
      throw invalid("tmux-orc.tmux.client", e.getMessage());
    }
    String socketName = c.getString("tmux-orc.tmux.socket-name");
    String socketPath = c.getString("tmux-orc.tmux.socket-path");
    if (!socketName.isBlank() && !socketPath.isBlank()) {
      throw invalid("tmux-orc.tmux.socket-name", "set either socket-name or socket-path, not both");
    }
    String prefix = c.getString("tmux-orc.tmux.hidden-session-prefix");
    if (prefix.isBlank() || !prefix.matches("[A-Za-z0-9_-]+")) {
      throw invalid("tmux-orc.tmux.hidden-session-prefix", "use letters, digits, '-' and '_' only");
    }
    return new TmuxSettings(
        new TmuxServer(c.getString("tmux-orc.tmux.binary"), Optional.of(socketName), Optional.of(socketPath)),
        client, prefix,
        positive(c, "tmux-orc.tmux.command-timeout"),
        positive(c, "tmux-orc.tmux.reconnect-backoff.min"),
        positive(c, "tmux-orc.tmux.reconnect-backoff.max"));
  }

  private static Monitoring monitoring(Config c) {
    Strategy strategy;
    try {
      strategy = Strategy.parse(c.getString("tmux-orc.monitoring.strategy"));
    } catch (IllegalArgumentException e) {
      throw invalid("tmux-orc.monitoring.strategy", e.getMessage());
    }
    int batch = atLeast(c, "tmux-orc.monitoring.capture-batch-size", 1);
    int maxFailures = atLeast(c, "tmux-orc.monitoring.max-failures", 2);
    int min = atLeast(c, "tmux-orc.monitoring.pool.min-size", 0);
    int max = atLeast(c, "tmux-orc.monitoring.pool.max-size", 1);
    if (max < min) {
      throw invalid("tmux-orc.monitoring.pool.max-size", "must be at least min-size (" + min + "), got " + max);
    }
    PoolSettings pool = new PoolSettings(min, max,
        positive(c, "tmux-orc.monitoring.pool.connection-timeout"),
        positive(c, "tmux-orc.monitoring.pool.max-age"),
        positive(c, "tmux-orc.monitoring.pool.health-check-interval"));
    return new Monitoring(strategy,
        positive(c, "tmux-orc.monitoring.poll-interval"),
        positive(c, "tmux-orc.monitoring.check-interval"),
        batch,
        positive(c, "tmux-orc.monitoring.idle-debounce"),
        positive(c, "tmux-orc.monitoring.confirm-delay"),
        maxFailures, positive(c, "tmux-orc.monitoring.report-interval"), pool,
        new ScreenReuse(c.getBoolean("tmux-orc.monitoring.screen-reuse.enabled"),
            positive(c, "tmux-orc.monitoring.screen-reuse.max-age")));
  }

  private static DiscoverySettings discovery(Config c) {
    Map<String, AgentKind> commands = new LinkedHashMap<>();
    Config agentCommands = c.getConfig("tmux-orc.discovery.agent-commands");
    for (String command : agentCommands.root().keySet()) {
      String kind = agentCommands.getString(quoteKey(command));
      commands.put(command, AgentKind.fromWireName(kind).orElseThrow(() -> invalid(
          "tmux-orc.discovery.agent-commands." + command, "unknown agent kind '" + kind
              + "' (expected claude, codex, aider, gemini or unknown)")));
    }
    return new DiscoverySettings(c.getString("tmux-orc.discovery.role-option"), Map.copyOf(commands),
        List.copyOf(c.getStringList("tmux-orc.discovery.pm-words")),
        List.copyOf(c.getStringList("tmux-orc.discovery.agent-words")));
  }

  private static Health health(Config c) {
    double hitRate = c.getDouble("tmux-orc.health.cache-hit-rate-min");
    if (hitRate < 0 || hitRate > 1) {
      throw invalid("tmux-orc.health.cache-hit-rate-min", "must be between 0 and 1, got " + hitRate);
    }
    return new Health(positive(c, "tmux-orc.health.cycle-p95-max"),
        atLeast(c, "tmux-orc.health.pool-timeouts-max", 0), hitRate,
        atLeast(c, "tmux-orc.health.cache-min-lookups", 0),
        atLeast(c, "tmux-orc.health.critical-agents-max", 0),
        atLeast(c, "tmux-orc.health.unresponsive-agents-max", 0),
        atLeast(c, "tmux-orc.health.hooks-silent-agents-max", 0));
  }

  private static Hooks hooks(Config c) {
    Map<String, Map<String, HookMeaning>> mapping = new LinkedHashMap<>();
    Config sources = c.getConfig("tmux-orc.hooks.mapping");
    for (String source : sources.root().keySet()) {
      if (!HOOK_SOURCES.contains(source)) {
        throw invalid("tmux-orc.hooks.mapping." + source, "unknown hook source (expected one of " + HOOK_SOURCES
            + ")");
      }
      Map<String, HookMeaning> meanings = new LinkedHashMap<>();
      Config events = sources.getConfig(source);
      for (String event : events.root().keySet()) {
        String key = "tmux-orc.hooks.mapping." + source + "." + quoteKey(event);
        try {
          meanings.put(event, HookMeaning.parse(c.getString(key)));
        } catch (IllegalArgumentException | ConfigException.WrongType e) {
          throw invalid(key, e.getMessage());
        }
      }
      mapping.put(source, Map.copyOf(meanings));
    }
    return new Hooks(positive(c, "tmux-orc.hooks.stalled-after"), positive(c, "tmux-orc.hooks.silence-after"),
        notNegative(c, "tmux-orc.hooks.echo"), positive(c, "tmux-orc.hooks.disagree-after"), Map.copyOf(mapping));
  }

  /** The sources whose hook events are taken in (POST /api/hooks/SOURCE). */
  public static final List<String> HOOK_SOURCES = List.of("claude", "codex", "gemini");

  private static Caches caches(Config c) {
    return new Caches(atLeast(c, "tmux-orc.cache.pane-content.max-size", 1),
        atLeast(c, "tmux-orc.cache.agent-status.max-size", 1),
        atLeast(c, "tmux-orc.cache.session-info.max-size", 1),
        positive(c, "tmux-orc.cache.session-info.ttl"));
  }

  private static String quoteKey(String key) {
    return "\"" + key.replace("\"", "\\\"") + "\"";
  }



}
