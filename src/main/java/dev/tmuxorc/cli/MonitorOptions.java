package dev.tmuxorc.cli;

import dev.tmuxorc.config.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of a monitor run, shared by {@code monitor} (foreground), {@code monitor start} and
 * {@code monitor restart}: as configuration overrides for the run here, and as arguments for a daemon.
 */
final class MonitorOptions {

  @ArgGroup(exclusive = true)
  StrategyChoice strategy;

  static final class StrategyChoice {
    @Option(names = "--strategy", paramLabel = "STRATEGY",
        description = "How to watch: event (capture only panes tmux reports as changed, full sweep every "
            + "check-interval), concurrent (full sweep every poll-interval, batches in parallel) or polling "
            + "(sequential sweep). Default: tmux-orc.monitoring.strategy (event).")
    String name;

    @Option(names = "--sync", description = "Alias for --strategy polling.")
    boolean sync;

    @Option(names = "--async", description = "Alias for --strategy event (the default).")
    boolean async;

    String resolve() {
      if (sync) {
        return Strategy.POLLING.wireName();
      }
      if (async) {
        return Strategy.EVENT.wireName();
      }
      return name;
    }
  }

  @Option(names = "--pool-size", paramLabel = "N",
      description = "Most tmux control clients at once (tmux-orc.monitoring.pool.max-size, default 4).")
  Integer poolSize;

  @Option(names = "--no-cache", description = "Capture every pane on every full cycle instead of reusing the "
      + "screens of panes without activity (tmux-orc.monitoring.screen-reuse.enabled = false).")
  boolean noCache;

  @Option(names = "--dry-run", description = "Only log the actions that would be taken on agents "
      + "(tmux-orc.actions.dry-run = true).")
  boolean dryRun;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "Port of the HTTP API (tmux-orc.http.port, default 8585; 0 = any free port).")
  Integer httpPort;

  @Mixin
  EventsOption events;

  /** The configuration these options set; command-line flags win over file and environment. */
  Map<String, Object> overrides() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (strategy != null && strategy.resolve() != null) {
      overrides.put("tmux-orc.monitoring.strategy", strategy.resolve());
    }
    if (poolSize != null) {
      overrides.put("tmux-orc.monitoring.pool.max-size", poolSize);
    }
    if (noCache) {
      overrides.put("tmux-orc.monitoring.screen-reuse.enabled", false);
    }
    if (dryRun) {
      overrides.put("tmux-orc.actions.dry-run", true);
    }
    if (httpPort != null) {
      overrides.put("tmux-orc.http.port", httpPort);
    }
    return overrides;
  }

  /** These options as arguments again (paths made absolute: a daemon runs in another directory). */
  List<String> args() {
    List<String> args = new ArrayList<>();
    if (strategy != null && strategy.resolve() != null) {
      args.addAll(List.of("--strategy", strategy.resolve()));
    }
    if (poolSize != null) {
      args.addAll(List.of("--pool-size", poolSize.toString()));
    }
    if (noCache) {
      args.add("--no-cache");
    }
    if (dryRun) {
      args.add("--dry-run");
    }
    if (httpPort != null) {
      args.addAll(List.of("--http-port", httpPort.toString()));
    }
    if (events.file != null) {
      args.addAll(List.of("--events", events.file.toAbsolutePath().toString()));
    }
    return args;
  }
}
