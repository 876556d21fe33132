package dev.tmuxorc.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc status}: the agents and the monitor, from the running monitor's API, else a one-shot scan. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Show every agent's state and health, from the running monitor (its history: states are debounced and "
            + "confirmed). With no monitor running, a one-shot scan instead, and a note saying so.",
        "--detailed adds the monitor's cycle percentiles, pool, cache layers and journal.",
        "Exit status: 0 shown, 1 tmux unreachable (one-shot scan) or the monitor did not answer, 2 bad "
            + "configuration."})
final class StatusCommand implements Callable<Integer> {

  private static final TypeReference<List<AgentView>> AGENTS = new TypeReference<>() { };

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Option(names = "--detailed", description = "Also the cycle percentiles, pool, cache layers and journal.")
  boolean detailed;

  @Option(names = "--json", description = "Print {source: monitor|scan, status (the API's /api/status, or null), "
      + "agents: [...]} instead.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(main.global, true);
    var config = Launcher.config(main.global, Map.of());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DaemonClient client;
    try {
      client = MonitorCommand.client(main.global);
    } catch (DaemonUnavailableException e) {
      err.println("tmux-orc: no monitor is running (" + e.getMessage() + "): a one-shot scan instead; start one "
          + "with `tmux-orc monitor start`" + (detailed ? " for the details" : ""));
      err.flush();
      return oneShot(Settings.from(config), config, out, err);
    }
    DaemonClient.Response status = client.get("/api/status");
    DaemonClient.Response agents = client.get("/api/agents");
    if (!status.ok() || !agents.ok()) {
      err.println("tmux-orc: the monitor at " + client.base() + " answered " + (status.ok() ? agents : status).status()
          + ": " + (status.ok() ? agents : status).body());
      err.flush();
      return 1;
    }
    JsonNode statusJson = Json.MAPPER.readTree(status.body());
    List<AgentView> views = Json.MAPPER.readValue(agents.body(), AGENTS);
    if (json) {
      print(out, "monitor", statusJson, views);
    } else {
      out.println(headline(statusJson, client));
      new AgentTable(views).print(out);
      if (detailed) {
        details(statusJson).forEach(out::println);
      }
    }
    out.flush();
    return 0;
  }

  private int oneShot(Settings settings, com.typesafe.config.Config config, PrintWriter out, PrintWriter err)
      throws Exception {
    List<AgentView> views;
    try {
      views = ScanCommand.snapshot(config, settings).stream().map(AgentView::of).toList();
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("tmux-orc: cannot scan: " + cause.getMessage());
      err.flush();
      return 1;
    }
    if (json) {
      print(out, "scan", null, views);
    } else {
      new AgentTable(views).print(out);
    }
    out.flush();
    return 0;
  }

  private static void print(PrintWriter out, String source, JsonNode status, List<AgentView> agents)
      throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("source", source);
    result.put("status", status);
    result.put("agents", agents);
    out.println(Json.PRETTY.writeValueAsString(result));
  }

  static String headline(JsonNode status, DaemonClient client) {
    StringBuilder line = new StringBuilder("tmux-orc monitor ").append(status.path("version").asText())
        .append(" at ").append(client.base()).append(": strategy ").append(status.path("strategy").asText())
        .append(", up ").append(MonitorStatusCommand.human(java.time.Duration.ofSeconds(
            status.path("uptimeSeconds").asLong())));
    if (status.path("paused").asBoolean()) {
      line.append(", actions paused until ").append(status.path("pausedUntil").asText());
    }
    if (!status.path("ready").asBoolean()) {
      line.append(", NOT READY");
    }
    return line.toString();
  }

  /** The --detailed lines: cycles, pool, caches, journal. */
  static List<String> details(JsonNode status) {
    List<String> lines = new ArrayList<>();
    JsonNode c = status.path("cycles");
    lines.add(String.format("cycles:  %d since start (%d failed, %d skipped); last interval p50 %s ms, p95 %s ms, "
            + "p99 %s ms, max %s ms; %d captures, %d screens reused", c.path("total").asLong(),
        c.path("failed").asLong(), c.path("skipped").asLong(), c.path("p50Ms").asText("-"),
        c.path("p95Ms").asText("-"), c.path("p99Ms").asText("-"), c.path("maxMs").asText("-"),
        c.path("captures").asLong(), c.path("reusedScreens").asLong()));
    JsonNode p = status.path("pool");
    lines.add(String.format("pool:    %d clients (%d idle, %d in flight, %d waiting); %d created, %d recycled, %d "
            + "replaced, %d acquisitions, %d timeouts, %d failed batches%s", p.path("size").asInt(),
        p.path("idle").asInt(), p.path("inFlight").asInt(), p.path("waiting").asInt(), p.path("created").asLong(),
        p.path("recycled").asLong(), p.path("replaced").asLong(), p.path("acquisitions").asLong(),
        p.path("timeouts").asLong(), p.path("failedBatches").asLong(),
        p.path("available").asBoolean() ? "" : "; UNAVAILABLE: " + p.path("unavailableReason").asText()));
    for (JsonNode layer : status.path("caches")) {
      lines.add(String.format("cache:   %-13s %d of %d entries; %d hits, %d misses (hit rate %s), %d evictions",
          layer.path("layer").asText(), layer.path("size").asLong(), layer.path("maxSize").asLong(),
          layer.path("hits").asLong(), layer.path("misses").asLong(), layer.path("hitRate").asText(),
          layer.path("evictions").asLong()));
    }
    JsonNode o = status.path("outbox");
    if (o.isObject()) {
      List<String> sessions = new ArrayList<>();
      o.path("sessionsPending").forEach(s -> sessions.add(s.asText()));
      lines.add(String.format("outbox:  %d waiting for their PM%s, %d in flight, %d delivered (PM reports)",
          o.path("pending").asLong(), sessions.isEmpty() ? "" : " (" + String.join(", ", sessions) + ")",
          o.path("inFlight").asLong(), o.path("delivered").asLong()));
    }
    JsonNode j = status.path("journal");
    if (j.path("enabled").isBoolean() && !j.path("enabled").asBoolean()) {
      lines.add("journal: off");
    } else {
      lines.add(String.format("journal: %s: %d entries, %.1f MB, last seq %d; %d written, %d failed writes, %d "
              + "dropped%s", j.path("path").asText(), j.path("entries").asLong(),
          j.path("sizeBytes").asLong() / 1e6, j.path("lastSeq").asLong(), j.path("written").asLong(),
          j.path("writeFailures").asLong(), j.path("dropped").asLong(),
          j.path("writable").asBoolean() ? "" : "; NOT WRITABLE: " + j.path("lastError").asText()));
    }
    return lines;
  }
}
