package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonRecord;
import dev.tmuxorc.daemon.DaemonState;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor status}: whether the background monitor runs, and how it is doing. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Say whether the monitor runs: its PID, API URL, uptime and log; when it runs, also its strategy, agents "
            + "by state and cycle time (from GET /api/status).",
        "Exit status (like systemctl and LSB init scripts): 0 running, 3 not running (also with a stale PID "
            + "file, which is reported but left for start or stop to remove)."})
final class MonitorStatusCommand implements Callable<Integer> {

  /** LSB's "program is not running". */
  static final int NOT_RUNNING = 3;

  @ParentCommand
  MonitorCommand monitor;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object instead: running, pid, url, dashboardUrl, "
      + "uptimeSeconds, log, status (the API's answer, or null).")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(monitor.main.global, true);
    PrintWriter out = spec.commandLine().getOut();
    BaseDir base = BaseDir.current();
    DaemonState state = DaemonState.of(base);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("running", state instanceof DaemonState.Running);
    if (!(state instanceof DaemonState.Running running)) {
      String stale = state instanceof DaemonState.Stale s ? s.reason() : null;
      if (json) {
        result.put("stale", stale);
        out.println(Json.PRETTY.writeValueAsString(result));
      } else {
        out.println("tmux-orc monitor is not running" + (stale != null ? " (stale PID file: " + stale + ")" : ""));
      }
      out.flush();
      return NOT_RUNNING;
    }
    DaemonRecord record = running.record();
    Optional<Duration> uptime = uptime(record);
    String log = record.log();
    Optional<JsonNode> status = Optional.empty();
    Optional<String> token = MonitorCommand.token(Launcher.config(monitor.main.global, Map.of()));
    String apiProblem = null;
    if (record.url() == null) {
      apiProblem = "it serves no HTTP API";
    } else {
      try {
        DaemonClient.Response response = new DaemonClient(URI.create(record.url()), token).get("/api/status");
        if (response.ok()) {
          status = Optional.of(Json.MAPPER.readTree(response.body()));
        } else {
          apiProblem = "GET /api/status answered " + response.status();
        }
      } catch (DaemonUnavailableException e) {
        apiProblem = e.getMessage();
      }
    }
    if (json) {
      result.put("pid", record.pid());
      result.put("url", record.url());
      result.put("dashboardUrl", record.url() == null ? null : DashboardUrl.of(record.url()));
      result.put("uptimeSeconds", uptime.map(Duration::toSeconds).orElse(null));
      result.put("log", log);
      result.put("status", status.orElse(null));
      if (apiProblem != null) {
        result.put("apiProblem", apiProblem);
      }
      out.println(Json.PRETTY.writeValueAsString(result));
    } else {
      out.println("tmux-orc monitor is running (pid " + record.pid() + uptime.map(u -> ", up " + human(u))
          .orElse("") + ")");
      if (record.url() != null) {
        out.println("  dashboard: " + DashboardUrl.shown(record.url(), token.isPresent()));
        out.println("  api:       " + record.url());
      }
      out.println("  log:       " + (log != null ? log : "(its standard error: the terminal, or systemd's journal)"));
      if (record.socket() != null) {
        out.println("  tmux:      " + record.socket());
      }
      status.map(MonitorStatusCommand::summary).ifPresent(s -> out.println("  agents:    " + s));
      if (apiProblem != null) {
        out.println("  api problem: " + apiProblem);
      }
    }
    out.flush();
    return 0;
  }

  private static Optional<Duration> uptime(DaemonRecord record) {
    Optional<Instant> start = ProcessHandle.of(record.pid()).flatMap(p -> p.info().startInstant());
    if (start.isEmpty() && record.startedAt() != null) {
      try {
        start = Optional.of(Instant.parse(record.startedAt()));
      } catch (RuntimeException e) {
        // unreadable: no uptime then
      }
    }
    return start.map(s -> Duration.between(s, Instant.now()));
  }

  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m " + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h " + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d " + s % 86400 / 3600 + "h";
  }

  /**
   * One line from the API's status: strategy, agents by state, cycle p50. Fields are looked up by name anywhere
   * in the object ({@code strategy}, {@code byState}/{@code agentsByState}, {@code p50Ms}), so that the line
   * survives the status object gaining levels.
   */
  static String summary(JsonNode status) {
    List<String> parts = new ArrayList<>();
    find(status, "strategy").filter(JsonNode::isTextual).ifPresent(s -> parts.add("strategy " + s.asText()));
    Optional<JsonNode> byState = find(status, "byState").or(() -> find(status, "agentsByState"))
        .filter(JsonNode::isObject);
    if (byState.isPresent()) {
      List<String> states = new ArrayList<>();
      long total = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = byState.get().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        total += e.getValue().asLong();
        states.add(e.getKey() + " " + e.getValue().asLong());
      }
      parts.add(total + " agents (" + String.join(", ", states) + ")");
    } else {
      find(status, "agents").filter(JsonNode::isNumber).ifPresent(n -> parts.add(n.asLong() + " agents"));
    }
    find(status, "p50Ms").filter(JsonNode::isNumber).ifPresent(p -> parts.add("cycle p50 " + p.asText() + " ms"));
    find(status, "paused").filter(JsonNode::asBoolean).ifPresent(p -> parts.add("paused"));
    return parts.isEmpty() ? "(no summary in /api/status)" : String.join("; ", parts);
  }

  private static Optional<JsonNode> find(JsonNode node, String name) {
    if (node == null || !node.isContainerNode()) {
      return Optional.empty();
    }
    if (node.isObject() && node.has(name)) {
      return Optional.of(node.get(name));
    }
    for (JsonNode child : node) {
      Optional<JsonNode> found = find(child, name);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }
}
