package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.Settings;
import java.util.ArrayList;
import java.util.List;

/** The checks of {@code tmux-orc health}, judged from the monitor's {@code /api/status} against the limits. */
final class HealthChecks {

  /** One check: its name, whether it passed, and what was seen. */
  record Check(String name, boolean ok, String detail) { }

  private HealthChecks() {
  }

  /**
   * The limits the monitor runs with, as its status reports them (a monitor started with its own configuration
   * is judged by it); {@code fallback} (this command's configuration) when it reports none.
   */
  static Settings.Health limits(JsonNode status, Settings.Health fallback) {
    JsonNode l = status.path("healthLimits");
    if (!l.isObject()) {
      return fallback;
    }
    return new Settings.Health(
        l.has("cycleP95MaxMs") ? java.time.Duration.ofMillis(l.get("cycleP95MaxMs").asLong()) : fallback.cycleP95Max(),
        l.path("poolTimeoutsMax").asLong(fallback.poolTimeoutsMax()),
        l.path("cacheHitRateMin").asDouble(fallback.cacheHitRateMin()),
        l.path("cacheMinLookups").asLong(fallback.cacheMinLookups()),
        l.path("criticalAgentsMax").asInt(fallback.criticalAgentsMax()),
        l.path("unresponsiveAgentsMax").asInt(fallback.unresponsiveAgentsMax()),
        l.path("hooksSilentAgentsMax").asInt(fallback.hooksSilentAgentsMax()));
  }

  static List<Check> of(JsonNode status, Settings.Health limits) {
    List<Check> checks = new ArrayList<>();
    boolean reachable = status.path("ready").asBoolean(false) && status.path("pool").path("available").asBoolean(false);
    checks.add(new Check("tmux reachable", reachable, reachable ? status.path("tmux").asText() : whyNotReady(status)));

    JsonNode p95 = status.path("cycles").path("p95Ms");
    double maxMs = limits.cycleP95Max().toNanos() / 1e6;
    checks.add(p95.isNumber()
        ? new Check("cycle p95", p95.asDouble() <= maxMs, p95.asDouble() + " ms (limit " + maxMs + " ms)")
        : new Check("cycle p95", true, "no report yet"));

    // The last ten minutes (a monitor that reports no such count: since start): one bad minute must not fail
    // health for ever.
    JsonNode recent = status.path("pool").path("recentTimeouts");
    long timeouts = recent.isNumber() ? recent.asLong() : status.path("pool").path("timeouts").asLong();
    checks.add(new Check("pool timeouts", timeouts <= limits.poolTimeoutsMax(), timeouts
        + (recent.isNumber() ? " in the last 10 minutes" : " since start") + " (limit " + limits.poolTimeoutsMax()
        + ")"));

    checks.add(cacheHitRate(status, limits));

    JsonNode byHealth = status.path("agents").path("byHealth");
    int critical = byHealth.path("critical").asInt();
    int unresponsive = byHealth.path("unresponsive").asInt();
    checks.add(new Check("agents critical", critical <= limits.criticalAgentsMax(),
        critical + " (limit " + limits.criticalAgentsMax() + ")"));
    checks.add(new Check("agents unresponsive", unresponsive <= limits.unresponsiveAgentsMax(),
        unresponsive + " (limit " + limits.unresponsiveAgentsMax() + ")"));
    JsonNode hooks = status.path("agents").path("hooks");
    if (hooks.isObject()) {
      int silent = hooks.path("silent").asInt();
      checks.add(new Check("hooks flowing", silent <= limits.hooksSilentAgentsMax(), silent + " of "
          + hooks.path("withHooks").asInt() + " agent(s) with hooks went silent (limit "
          + limits.hooksSilentAgentsMax() + ")" + (silent > 0 ? "; `tmux-orc hooks status` names them" : "")));
    } else { // a monitor from before hook fusion: no agent's state rests on hooks there
      checks.add(new Check("hooks flowing", true, "not reported by this monitor"));
    }

    JsonNode journal = status.path("journal");
    if (journal.path("enabled").isBoolean() && !journal.path("enabled").asBoolean()) {
      checks.add(new Check("journal writable", true, "journal turned off"));
    } else {
      boolean writable = journal.path("writable").asBoolean(false);
      checks.add(new Check("journal writable", writable, writable ? journal.path("path").asText()
          : journal.path("lastError").asText("not writable")));
    }
    return checks;
  }

  // The pool's own words when it cannot reach tmux, else the monitor's reason for not being ready.
  private static String whyNotReady(JsonNode status) {
    String pool = status.path("pool").path("unavailableReason").asText("");
    if (!pool.isBlank()) {
      return pool;
    }
    String reason = status.path("notReadyReason").asText("");
    return reason.isBlank() ? "the first discovery has not finished" : reason;
  }

  private static Check cacheHitRate(JsonNode status, Settings.Health limits) {
    for (JsonNode layer : status.path("caches")) {
      if (layer.path("layer").asText().equals("pane_content")) {
        long lookups = layer.path("hits").asLong() + layer.path("misses").asLong();
        double rate = layer.path("hitRate").asDouble();
        if (limits.cacheHitRateMin() == 0 || lookups < limits.cacheMinLookups()) {
          return new Check("cache hit rate", true, "pane_content " + rate + " after " + lookups + " lookups (not "
              + "judged before " + limits.cacheMinLookups() + ")");
        }
        return new Check("cache hit rate", rate >= limits.cacheHitRateMin(), "pane_content " + rate + " (minimum "
            + limits.cacheHitRateMin() + ")");
      }
    }
    return new Check("cache hit rate", true, "screen reuse is off");
  }
}
