package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code tmux-orc health}'s verdicts, judged from an {@code /api/status} JSON alone: each at and past its limit. */
class HealthChecksTest {

  /** p95 at most 500 ms, 2 pool timeouts, a hit rate of 0.5 after 100 lookups, 1 critical, 0 unresponsive. */
  private static final Settings.Health LIMITS = new Settings.Health(Duration.ofMillis(500), 2, 0.5, 100, 1, 0, 0);

  private static final List<String> NAMES = List.of("tmux reachable", "cycle p95", "pool timeouts",
      "cache hit rate", "agents critical", "agents unresponsive", "hooks flowing", "journal writable");

  /** A healthy monitor's status, every value exactly at its limit; {@code change} edits it. */
  private static JsonNode status(Consumer<ObjectNode> change) throws Exception {
    ObjectNode status = (ObjectNode) Json.MAPPER.readTree("""
        {"tmux": "tmux -L work", "ready": true,
         "cycles": {"p95Ms": 500.0},
         "agents": {"byHealth": {"healthy": 3, "critical": 1, "unresponsive": 0},
                    "hooks": {"withHooks": 2, "stalled": 1, "silent": 0}},
         "pool": {"available": true, "timeouts": 2, "unavailableReason": null},
         "caches": [{"layer": "agent_status", "hits": 0, "misses": 900, "hitRate": 0.0},
                    {"layer": "pane_content", "hits": 50, "misses": 50, "hitRate": 0.5}],
         "journal": {"enabled": true, "path": "/base/journal.db", "writable": true, "lastError": null}}
        """);
    change.accept(status);
    return status;
  }

  private static HealthChecks.Check check(JsonNode status, String name) {
    List<HealthChecks.Check> checks = HealthChecks.of(status, LIMITS);
    assertEquals(NAMES, checks.stream().map(HealthChecks.Check::name).toList(), "every check, in this order");
    return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  private static ObjectNode at(ObjectNode root, String... path) {
    ObjectNode node = root;
    for (String field : path) {
      node = (ObjectNode) node.get(field);
    }
    return node;
  }

  @Test
  void theMonitorIsJudgedByTheLimitsItReportsElseByOurs() throws Exception {
    assertEquals(LIMITS, HealthChecks.limits(status(s -> { }), LIMITS), "a status without limits: ours");
    JsonNode withLimits = status(s -> s.set("healthLimits", Json.MAPPER.valueToTree(java.util.Map.of(
        "cycleP95MaxMs", 250, "poolTimeoutsMax", 7, "cacheHitRateMin", 0.9, "cacheMinLookups", 10,
        "criticalAgentsMax", 3, "unresponsiveAgentsMax", 4))));
    assertEquals(new Settings.Health(Duration.ofMillis(250), 7, 0.9, 10, 3, 4, 0),
        HealthChecks.limits(withLimits, LIMITS));
    assertFalse(HealthChecks.of(withLimits, HealthChecks.limits(withLimits, LIMITS)).get(1).ok(),
        "500 ms is past the monitor's own 250 ms");
  }

  @Test
  void everyValueAtItsLimitPasses() throws Exception {
    List<HealthChecks.Check> checks = HealthChecks.of(status(s -> { }), LIMITS);
    assertTrue(checks.stream().allMatch(HealthChecks.Check::ok), checks.toString());
    assertEquals("tmux -L work", checks.get(0).detail());
    assertEquals("500.0 ms (limit 500.0 ms)", checks.get(1).detail());
    assertEquals("/base/journal.db", checks.get(7).detail());
  }

  @Test
  void tmuxUnreachableFailsWithThePoolsReason() throws Exception {
    HealthChecks.Check down = check(status(s -> at(s, "pool").put("available", false)
        .put("unavailableReason", "no server running on /tmp/tmux-0/work")), "tmux reachable");
    assertFalse(down.ok());
    assertEquals("no server running on /tmp/tmux-0/work", down.detail());
    // Before the first discovery the monitor is not ready, though its pool may be.
    HealthChecks.Check notReady = check(status(s -> s.put("ready", false)), "tmux reachable");
    assertFalse(notReady.ok());
  }

  @Test
  void cycleP95PastItsLimitFailsAndNoReportYetPasses() throws Exception {
    HealthChecks.Check slow = check(status(s -> at(s, "cycles").put("p95Ms", 500.1)), "cycle p95");
    assertFalse(slow.ok());
    assertEquals("500.1 ms (limit 500.0 ms)", slow.detail());
    HealthChecks.Check none = check(status(s -> at(s, "cycles").putNull("p95Ms")), "cycle p95");
    assertTrue(none.ok());
    assertEquals("no report yet", none.detail());
  }

  @Test
  void poolTimeoutsPastTheirLimitFail() throws Exception {
    HealthChecks.Check timeouts = check(status(s -> at(s, "pool").put("timeouts", 3)), "pool timeouts");
    assertFalse(timeouts.ok());
    assertEquals("3 since start (limit 2)", timeouts.detail(), "a monitor that reports no recent count");
  }

  @Test
  void onlyTheLastTenMinutesOfPoolTimeoutsCountWhenTheMonitorReportsThem() throws Exception {
    HealthChecks.Check old = check(status(s -> at(s, "pool").put("timeouts", 50).put("recentTimeouts", 0)),
        "pool timeouts");
    assertTrue(old.ok(), "fifty long ago: " + old.detail());
    HealthChecks.Check recent = check(status(s -> at(s, "pool").put("timeouts", 50).put("recentTimeouts", 3)),
        "pool timeouts");
    assertFalse(recent.ok());
    assertEquals("3 in the last 10 minutes (limit 2)", recent.detail());
  }

  @Test
  void theScreenCacheHitRateIsJudgedOnlyOnceItHasSeenEnoughLookups() throws Exception {
    // 49 hits of 100 lookups: below the minimum, judged
    HealthChecks.Check low = check(status(s -> ((ObjectNode) s.get("caches").get(1)).put("hits", 49)
        .put("misses", 51).put("hitRate", 0.49)), "cache hit rate");
    assertFalse(low.ok());
    assertEquals("pane_content 0.49 (minimum 0.5)", low.detail());
    // the same rate after 99 lookups: not judged yet (a fresh monitor has missed every screen)
    HealthChecks.Check early = check(status(s -> ((ObjectNode) s.get("caches").get(1)).put("hits", 49)
        .put("misses", 50).put("hitRate", 0.49)), "cache hit rate");
    assertTrue(early.ok(), early.detail());
    assertTrue(early.detail().contains("not judged before 100"), early.detail());
    // the other layers' rates do not count: agent_status at 0.0 above is ignored
  }

  @Test
  void aMinimumHitRateOfZeroTurnsTheCacheCheckOff() throws Exception {
    Settings.Health off = new Settings.Health(Duration.ofMillis(500), 2, 0, 100, 1, 0, 0);
    JsonNode status = status(s -> ((ObjectNode) s.get("caches").get(1)).put("hits", 0).put("misses", 1000)
        .put("hitRate", 0.0));
    HealthChecks.Check cache = HealthChecks.of(status, off).get(3);
    assertEquals("cache hit rate", cache.name());
    assertTrue(cache.ok(), cache.detail());
  }

  @Test
  void withScreenReuseOffThereIsNoScreenLayerToJudge() throws Exception {
    HealthChecks.Check cache = check(status(s -> s.putArray("caches")), "cache hit rate");
    assertTrue(cache.ok());
    assertEquals("screen reuse is off", cache.detail());
  }

  @Test
  void criticalAndUnresponsiveAgentsPastTheirLimitsFail() throws Exception {
    HealthChecks.Check critical = check(status(s -> at(s, "agents", "byHealth").put("critical", 2)),
        "agents critical");
    assertFalse(critical.ok());
    assertEquals("2 (limit 1)", critical.detail());
    HealthChecks.Check unresponsive = check(status(s -> at(s, "agents", "byHealth").put("unresponsive", 1)),
        "agents unresponsive");
    assertFalse(unresponsive.ok());
    assertEquals("1 (limit 0)", unresponsive.detail());
  }

  @Test
  void agentsWhoseHooksWentSilentPastTheLimitFailAndAMonitorReportingNoneIsNotFailedForIt() throws Exception {
    HealthChecks.Check silent = check(status(s -> at(s, "agents", "hooks").put("silent", 1)), "hooks flowing");
    assertFalse(silent.ok());
    assertEquals("1 of 2 agent(s) with hooks went silent (limit 0); `tmux-orc hooks status` names them",
        silent.detail());
    HealthChecks.Check older = check(status(s -> at(s, "agents").remove("hooks")), "hooks flowing");
    assertTrue(older.ok());
    assertEquals("not reported by this monitor", older.detail());
  }

  @Test
  void anUnwritableJournalFailsWithItsErrorAndATurnedOffJournalPasses() throws Exception {
    HealthChecks.Check full = check(status(s -> at(s, "journal").put("writable", false)
        .put("lastError", "SQLITE_FULL: database or disk is full")), "journal writable");
    assertFalse(full.ok());
    assertEquals("SQLITE_FULL: database or disk is full", full.detail());
    HealthChecks.Check off = check(status(s -> s.set("journal", Json.MAPPER.createObjectNode()
        .put("enabled", false).putNull("path"))), "journal writable");
    assertTrue(off.ok());
    assertEquals("journal turned off", off.detail());
  }

  @Test
  void aMissingOrEmptyReportFailsWhatItCannotShowRatherThanPassingIt() throws Exception {
    // e.g. a monitor of another version answering {}: unknown is not healthy
    List<HealthChecks.Check> checks = HealthChecks.of(Json.MAPPER.readTree("{}"), LIMITS);
    assertEquals(NAMES, checks.stream().map(HealthChecks.Check::name).toList());
    assertFalse(checks.get(0).ok(), "tmux reachable: " + checks.get(0));
    assertEquals("the first discovery has not finished", checks.get(0).detail());
    assertFalse(checks.get(7).ok(), "journal writable: " + checks.get(7));
    assertTrue(checks.get(1).ok(), "no p95 yet is no failure: " + checks.get(1));
  }
}
