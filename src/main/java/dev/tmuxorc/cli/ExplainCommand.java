package dev.tmuxorc.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.agent.Explanation;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import dev.tmuxorc.detect.Evidence;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc explain PANE}: why an agent is in its state, from the running monitor's API. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {
        "Show why an agent is in its state: the rule that decided it with its evidence, each source's latest "
            + "reading with its age (the screen, the agent's hook events), the flags raised (stalled, hooks_silent) "
            + "and the last transitions with their evidence. The rules are in docs/detection.md.",
        "With no monitor running, one look at the screen instead (no hooks, no history), and a note saying so.",
        "Exit status: 0 shown, 1 no such agent or the monitor did not answer, 2 bad configuration."})
final class ExplainCommand implements Callable<Integer> {

  private static final TypeReference<List<AgentView>> AGENTS = new TypeReference<>() { };

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PANE",
      description = "The agent: its pane id (%%3) or its target (session:window.pane, as `status` shows it).")
  String pane;

  @Option(names = "--json", description = "Print {source: monitor|scan, explanation: {...}} (the API's "
      + "/api/agents/{paneId}/explain) instead.")
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
      err.println("tmux-orc: no monitor is running (" + e.getMessage() + "): one look at the screen instead, "
          + "without hooks or history; start one with `tmux-orc monitor start`");
      err.flush();
      return oneLook(Settings.from(config), config, out, err);
    }
    Optional<String> paneId = PaneId.parse(pane).map(PaneId::value).or(() -> byTarget(client, err));
    if (paneId.isEmpty()) {
      return 1;
    }
    DaemonClient.Response answer = client.get("/api/agents/"
        + URLEncoder.encode(paneId.get(), StandardCharsets.UTF_8) + "/explain");
    if (answer.status() == 404) {
      err.println("tmux-orc: no agent in pane " + paneId.get() + " (`tmux-orc status` lists them)");
      err.flush();
      return 1;
    }
    if (!answer.ok()) {
      err.println("tmux-orc: the monitor at " + client.base() + " answered " + answer.status() + ": "
          + answer.body());
      err.flush();
      return 1;
    }
    show(out, "monitor", Json.MAPPER.readValue(answer.body(), Explanation.class));
    return 0;
  }

  // A target (s:1.0) or window name names the pane through the monitor's agent list.
  private Optional<String> byTarget(DaemonClient client, PrintWriter err) {
    try {
      DaemonClient.Response agents = client.get("/api/agents");
      if (agents.ok()) {
        List<AgentView> views = Json.MAPPER.readValue(agents.body(), AGENTS);
        List<AgentView> found = views.stream().filter(v -> v.target().equals(pane)).toList();
        if (found.isEmpty()) {
          found = views.stream().filter(v -> v.windowName().equals(pane)).toList();
        }
        if (found.size() == 1) {
          return Optional.of(found.get(0).paneId());
        }
        err.println("tmux-orc: " + (found.isEmpty() ? "no agent has the pane id, target or window name '" + pane
            + "' (`tmux-orc status` lists them)" : "'" + pane + "' names " + found.size() + " agents ("
            + String.join(", ", found.stream().map(AgentView::target).toList()) + "): give one target"));
      } else {
        err.println("tmux-orc: the monitor at " + client.base() + " answered " + agents.status() + ": "
            + agents.body());
      }
    } catch (Exception e) {
      err.println("tmux-orc: cannot read the monitor's agents: " + e.getMessage());
    }
    err.flush();
    return Optional.empty();
  }

  private int oneLook(Settings settings, com.typesafe.config.Config config, PrintWriter out, PrintWriter err) {
    List<AgentStatus> agents;
    try {
      agents = ScanCommand.snapshot(config, settings);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("tmux-orc: cannot scan: " + cause.getMessage());
      err.flush();
      return 1;
    }
    Optional<AgentStatus> found = agents.stream().filter(a -> a.agent().paneId().value().equals(pane)
        || a.agent().pane().target().equals(pane)).findFirst();
    if (found.isEmpty()) {
      err.println("tmux-orc: no agent in pane '" + pane + "' (`tmux-orc scan` lists them)");
      err.flush();
      return 1;
    }
    show(out, "scan", Explanation.ofSnapshot(found.get(), Instant.now()));
    return 0;
  }

  private void show(PrintWriter out, String source, Explanation e) {
    if (json) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("source", source);
      result.put("explanation", e);
      try {
        out.println(Json.PRETTY.writeValueAsString(result));
      } catch (Exception failure) {
        throw new IllegalStateException(failure);
      }
    } else {
      text(e).forEach(out::println);
    }
    out.flush();
  }

  /** The explanation as lines for people. */
  static List<String> text(Explanation e) {
    List<String> lines = new java.util.ArrayList<>();
    lines.add(String.format("%s %s (%s): %s for %s, decided by rule '%s'%s", e.paneId(),
        AgentTable.printable(e.target(), 60), e.kind(),
        e.state(), MonitorStatusCommand.human(java.time.Duration.ofMillis(e.sinceAgeMs())), e.rule(),
        e.flags().isEmpty() ? "" : "; flags: " + String.join(", ", e.flags())));
    lines.add("evidence:");
    e.evidence().forEach(evidence -> lines.add("  " + evidence(evidence)));
    Explanation.Screen s = e.screen();
    lines.add(String.format("screen:  reads %s (last verdict %s); captured %s, changed %s", s.state(),
        s.lastVerdict(), s.lastCaptureAgeMs() == null ? "never" : ago(s.lastCaptureAgeMs()),
        ago(s.lastChangeAgeMs())));
    Explanation.Hook h = e.hook();
    if (h == null) {
      lines.add("hooks:   none received (`tmux-orc hooks install` sends Claude Code's; the screen decides alone)");
    } else {
      lines.add(String.format("hooks:   %s %s means %s, %s (%s); last event %s %s; %d event(s)%s", h.source(),
          h.mappingKey(), h.meaning(), ago(h.ageMs()), h.inForce() ? "in force" : "not in force", h.lastEvent(),
          ago(h.lastEventAgeMs()), h.events(), h.sessionId() == null ? "" : "; session " + h.sessionId()));
    }
    if (!e.transitions().isEmpty()) {
      lines.add("transitions (oldest first):");
      for (Explanation.Transition t : e.transitions()) {
        lines.add(String.format("  %s  %s -> %s  [%s]", millis(t.at()), t.from(), t.to(),
            t.evidence().isEmpty() ? t.rule() : evidence(t.evidence().get(0))));
      }
    }
    return lines;
  }

  private static String evidence(Evidence evidence) {
    return evidence.rule() + (evidence.line() > 0 ? " (line " + evidence.line() + ")" : "") + ": "
        + AgentTable.printable(evidence.text(), 200); // a pane's text: no control characters to the terminal
  }

  private static String millis(String iso) {
    return Instant.parse(iso).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
  }

  private static String ago(long millis) {
    return millis < 1000 ? millis + " ms ago"
        : MonitorStatusCommand.human(java.time.Duration.ofMillis(millis)) + " ago";
  }
}
