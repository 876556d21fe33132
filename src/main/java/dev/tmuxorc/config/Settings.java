package dev.tmuxorc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.tmuxorc.agent.AgentStateMachine;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.tmux.TmuxServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All of tmux-orc's settings, read once from the {@code tmux-orc} config tree and validated. */
public record Settings(Tmux tmux, Monitoring monitoring, Discovery discovery, Config detection) {

  /** How to reach tmux. */
  public record Tmux(TmuxServer server, String client, String hiddenSessionPrefix, Duration commandTimeout,
      Duration backoffMin, Duration backoffMax) {

    /** This process's hidden session: the prefix plus the process id, so that two tmux-orc never share one. */
    public String hiddenSession() {
      return hiddenSessionPrefix + "-" + ProcessHandle.current().pid();
    }
  }

  /** The monitoring cycle. */
  public record Monitoring(Strategy strategy, Duration pollInterval, Duration checkInterval, int captureBatchSize,
      Duration idleDebounce, int maxFailures, Pool pool) {

    public AgentStateMachine.Rules rules() {
      return new AgentStateMachine.Rules(idleDebounce, maxFailures);
    }
  }

  /** The control-client pool. */
  public record Pool(int minSize, int maxSize, Duration connectionTimeout, Duration maxAge,
      Duration healthCheckInterval) { }

  /** Which panes are agents. */
  public record Discovery(String roleOption, Map<String, AgentKind> agentCommands, List<String> pmWords,
      List<String> agentWords) { }

  /**
   * Reads and validates the {@code tmux-orc} tree of a resolved config.
   *
   * @throws SettingsException naming the offending key
   */
  public static Settings from(Config root) {
    try {
      Config c = root.getConfig("tmux-orc");
      return new Settings(tmux(c.getConfig("tmux")), monitoring(c.getConfig("monitoring")),
          discovery(c.getConfig("discovery")), c.getConfig("detection"));
    } catch (ConfigException e) {
      throw new SettingsException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static Tmux tmux(Config c) {
    String client = c.getString("client");
    if (!client.equals("control") && !client.equals("process")) {
      throw invalid("tmux-orc.tmux.client", "'" + client + "' is not one of: control, process");
    }
    String socketName = c.getString("socket-name");
    String socketPath = c.getString("socket-path");
    if (!socketName.isBlank() && !socketPath.isBlank()) {
      throw invalid("tmux-orc.tmux.socket-name", "set either socket-name or socket-path, not both");
    }
    String prefix = c.getString("hidden-session-prefix");
    if (prefix.isBlank() || !prefix.matches("[A-Za-z0-9_-]+")) {
      throw invalid("tmux-orc.tmux.hidden-session-prefix", "use letters, digits, '-' and '_' only");
    }
    return new Tmux(
        new TmuxServer(c.getString("binary"), Optional.of(socketName), Optional.of(socketPath)),
        client, prefix,
        positive(c, "command-timeout", "tmux-orc.tmux.command-timeout"),
        positive(c, "reconnect-backoff.min", "tmux-orc.tmux.reconnect-backoff.min"),
        positive(c, "reconnect-backoff.max", "tmux-orc.tmux.reconnect-backoff.max"));
  }

  private static Monitoring monitoring(Config c) {
    Strategy strategy;
    try {
      strategy = Strategy.parse(c.getString("strategy"));
    } catch (IllegalArgumentException e) {
      throw invalid("tmux-orc.monitoring.strategy", e.getMessage());
    }
    int batch = c.getInt("capture-batch-size");
    if (batch < 1) {
      throw invalid("tmux-orc.monitoring.capture-batch-size", "must be at least 1, got " + batch);
    }
    Config p = c.getConfig("pool");
    int min = p.getInt("min-size");
    int max = p.getInt("max-size");
    if (min < 0) {
      throw invalid("tmux-orc.monitoring.pool.min-size", "must not be negative, got " + min);
    }
    if (max < 1 || max < min) {
      throw invalid("tmux-orc.monitoring.pool.max-size", "must be at least 1 and at least min-size (" + min
          + "), got " + max);
    }
    Pool pool = new Pool(min, max,
        positive(p, "connection-timeout", "tmux-orc.monitoring.pool.connection-timeout"),
        positive(p, "max-age", "tmux-orc.monitoring.pool.max-age"),
        positive(p, "health-check-interval", "tmux-orc.monitoring.pool.health-check-interval"));
    int maxFailures = c.getInt("max-failures");
    if (maxFailures < 2) {
      throw invalid("tmux-orc.monitoring.max-failures", "must be at least 2 (2 failures already mean warning), got "
          + maxFailures);
    }
    return new Monitoring(strategy,
        positive(c, "poll-interval", "tmux-orc.monitoring.poll-interval"),
        positive(c, "check-interval", "tmux-orc.monitoring.check-interval"),
        batch,
        positive(c, "idle-debounce", "tmux-orc.monitoring.idle-debounce"),
        maxFailures, pool);
  }

  private static Discovery discovery(Config c) {
    Map<String, AgentKind> commands = new LinkedHashMap<>();
    Config agentCommands = c.getConfig("agent-commands");
    for (String command : agentCommands.root().keySet()) {
      String kind = agentCommands.getString(quoteKey(command));
      commands.put(command, AgentKind.fromWireName(kind).orElseThrow(() -> invalid(
          "tmux-orc.discovery.agent-commands." + command, "unknown agent kind '" + kind
              + "' (expected claude, codex, aider, gemini or unknown)")));
    }
    return new Discovery(c.getString("role-option"), Map.copyOf(commands),
        List.copyOf(c.getStringList("pm-words")), List.copyOf(c.getStringList("agent-words")));
  }

  private static String quoteKey(String key) {
    return "\"" + key.replace("\"", "\\\"") + "\"";
  }

  private static Duration positive(Config c, String path, String fullKey) {
    Duration d = c.getDuration(path);
    if (d.isNegative() || d.isZero()) {
      throw invalid(fullKey, "must be a positive duration, got " + d);
    }
    return d;
  }

  private static SettingsException invalid(String key, String problem) {
    return new SettingsException("invalid configuration: " + key + ": " + problem);
  }
}
