package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc health}: is the running monitor healthy, check by check. */
@Command(name = "health", mixinStandardHelpOptions = true,
    description = {
        "Check the running monitor against the limits in tmux-orc.health: tmux reachable, cycle p95, pool "
            + "timeouts, the pane_content cache's hit rate, agents critical or unresponsive, journal writable. "
            + "Prints ✓ or ✗ per check.",
        "Exit status: 0 healthy, 1 not (a check failed, or no monitor runs), 2 bad configuration."})
final class HealthCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print {healthy, checks: [{name, ok, detail}]} instead.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(main.global, true);
    Settings settings = Settings.from(Launcher.config(main.global, Map.of()));
    PrintWriter out = spec.commandLine().getOut();
    List<HealthChecks.Check> checks;
    try {
      DaemonClient client = MonitorCommand.client(main.global);
      DaemonClient.Response response = client.get("/api/status");
      if (!response.ok()) {
        checks = List.of(new HealthChecks.Check("monitor answers", false,
            "GET /api/status answered " + response.status() + ": " + response.body()));
      } else {
        JsonNode status = Json.MAPPER.readTree(response.body());
        checks = HealthChecks.of(status, HealthChecks.limits(status, settings.health()));
      }
    } catch (DaemonUnavailableException e) {
      checks = List.of(new HealthChecks.Check("monitor running", false, e.getMessage()));
    }
    boolean healthy = checks.stream().allMatch(HealthChecks.Check::ok);
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("healthy", healthy);
      result.put("checks", checks);
      out.println(Json.PRETTY.writeValueAsString(result));
    } else {
      for (HealthChecks.Check check : checks) {
        out.printf("%s %-20s %s%n", check.ok() ? "✓" : "✗", check.name(), AgentTable.printable(check.detail(), 200));
      }
      out.println(healthy ? "healthy" : "NOT healthy");
    }
    out.flush();
    return healthy ? 0 : 1;
  }
}
