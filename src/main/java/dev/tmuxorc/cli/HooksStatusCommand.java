package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import dev.tmuxorc.hooks.ClaudeSettings;
import dev.tmuxorc.hooks.HookForm;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc hooks status}: where tmux-orc's hooks are installed, and for which agents events flow. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {
        "Show which Claude Code settings files (the user's, and the project's in the current directory) hold "
            + "tmux-orc's hooks, in which form and pointing where; and, when a monitor runs, each agent's last "
            + "hook event and how many arrived (\"unknown\" when the monitor does not say).",
        "Exit status: 0 shown, 1 the monitor answered an error."})
final class HooksStatusCommand implements Callable<Integer> {

  @ParentCommand
  HooksCommand hooks;

  @Spec
  CommandSpec spec;

  @Option(names = "--json", description = "Print {settings: [{scope, file, exists, events, forms, targets, "
      + "error}], monitor: {url, agents: [{paneId, target, kind, lastHookAt, hookEvents, lastHookEvent, hooksSilent, stalled}]} or null}.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(hooks.main.global, true);
    PrintWriter out = spec.commandLine().getOut();
    List<Map<String, Object>> files = List.of(
        file("user", ClaudeSettings.userFile(System.getenv())),
        file("project", ClaudeSettings.projectFile(Path.of("").toAbsolutePath())));
    Map<String, Object> monitor = null;
    int status = 0;
    try {
      DaemonClient client = MonitorCommand.client(hooks.main.global);
      DaemonClient.Response agents = client.get("/api/agents");
      monitor = new LinkedHashMap<>();
      monitor.put("url", client.base().toString());
      if (agents.ok()) {
        monitor.put("agents", agents(Json.MAPPER.readTree(agents.body())));
      } else {
        monitor.put("error", "answered " + agents.status() + ": " + agents.body());
        status = 1;
      }
    } catch (DaemonUnavailableException e) {
      // no monitor: the files alone
    }
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("settings", files);
      result.put("monitor", monitor);
      out.println(Json.PRETTY.writeValueAsString(result));
    } else {
      print(out, files, monitor);
    }
    out.flush();
    return status;
  }

  private static Map<String, Object> file(String scope, Path file) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scope", scope);
    result.put("file", file.toString());
    try {
      ClaudeSettings settings = ClaudeSettings.read(file);
      List<ClaudeSettings.Entry> ours = settings.ours();
      result.put("exists", settings.exists());
      result.put("events", ours.stream().map(ClaudeSettings.Entry::event).distinct().toList());
      result.put("forms", new TreeSet<>(ours.stream().map(e -> e.form().wireName()).toList()));
      result.put("targets", new TreeSet<>(ours.stream().map(ClaudeSettings.Entry::target).toList()));
      result.put("error", null);
    } catch (SettingsException | java.io.UncheckedIOException e) {
      result.put("exists", true);
      result.put("events", List.of());
      result.put("forms", List.of());
      result.put("targets", List.of());
      result.put("error", e.getMessage());
    }
    return result;
  }

  private static List<Map<String, Object>> agents(JsonNode agents) {
    List<Map<String, Object>> result = new ArrayList<>();
    for (JsonNode agent : agents) {
      JsonNode hooks = agent.path("hooks");
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("paneId", agent.path("paneId").asText());
      row.put("target", agent.path("target").asText());
      row.put("kind", agent.path("kind").asText());
      // the API's AgentView.Hooks: lastAt, events (how many), lastEvent
      row.put("lastHookAt", hooks.hasNonNull("lastAt") ? hooks.get("lastAt").asText() : null);
      row.put("hookEvents", hooks.hasNonNull("events") ? hooks.get("events") : null);
      row.put("lastHookEvent", hooks.hasNonNull("lastEvent") ? hooks.get("lastEvent").asText() : null);
      // raised by the fusion: hooks silent (the screen decides alone), stalled (working, nothing moves)
      row.put("hooksSilent", hooks.path("silent").asBoolean(false));
      row.put("stalled", hooks.path("stalled").asBoolean(false));
      result.add(row);
    }
    return result;
  }

  @SuppressWarnings("unchecked")
  private static void print(PrintWriter out, List<Map<String, Object>> files, Map<String, Object> monitor) {
    for (Map<String, Object> file : files) {
      List<String> events = (List<String>) file.get("events");
      String state;
      if (file.get("error") != null) {
        state = "unreadable: " + file.get("error");
      } else if (!(Boolean) file.get("exists")) {
        state = "no such file";
      } else if (events.isEmpty()) {
        state = "no tmux-orc hooks";
      } else {
        state = events.size() + "/" + ClaudeSettings.EVENTS.size() + " events, " + String.join(", ",
            (Iterable<String>) file.get("forms")) + " -> " + String.join(", ", (Iterable<String>) file.get("targets"));
        List<String> missing = ClaudeSettings.EVENTS.stream().filter(e -> !events.contains(e)).toList();
        if (!missing.isEmpty()) {
          state += " (missing: " + String.join(", ", missing) + ")";
        }
      }
      out.printf("%-8s %s: %s%n", file.get("scope"), file.get("file"), state);
    }
    if (monitor == null) {
      out.println("monitor  not running: no hook events to show");
      return;
    }
    if (monitor.containsKey("error")) {
      out.println("monitor  " + monitor.get("url") + " " + monitor.get("error"));
      return;
    }
    List<Map<String, Object>> agents = (List<Map<String, Object>>) monitor.get("agents");
    out.println("monitor  " + monitor.get("url") + ": " + agents.size() + " agent(s)");
    for (Map<String, Object> agent : agents) {
      Object last = agent.get("lastHookAt");
      Object count = agent.get("hookEvents");
      String flags = (Boolean) agent.get("hooksSilent") ? "  SILENT: the screen decides alone"
          : (Boolean) agent.get("stalled") ? "  stalled" : "";
      out.printf("  %-6s %-20s %-8s last hook: %s, events: %s%s%n", agent.get("paneId"), agent.get("target"),
          agent.get("kind"), last == null ? "none" : last, count == null ? "0" : count, flags);
    }
  }
}
