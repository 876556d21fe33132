package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc perf watch}: a live, redrawing view of the running monitor's performance. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {
        "Redraw the running monitor's performance every interval: a sparkline of the cycle time (p50 of each "
            + "report interval), the pool, the cache layers and the agents by state. Ctrl-C ends it.",
        "When standard output is not a terminal it prints one frame and exits (for scripts and logs).",
        "Exit status: 0 done, 1 no monitor is running or it stopped answering."})
final class PerfWatchCommand implements Callable<Integer> {

  private static final String BARS = "▁▂▃▄▅▆▇█";
  static final int HISTORY = 60;

  @ParentCommand
  PerfCommand perf;

  @Spec
  CommandSpec spec;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5",
      description = "Seconds between two frames (default 5).")
  int interval;

  private final Deque<Double> p50s = new ArrayDeque<>();
  private String lastReportAt;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(perf.main.global, true);
    if (interval < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--interval must be at least 1");
    }
    DaemonClient client = MonitorCommand.client(perf.main.global);
    PrintWriter out = spec.commandLine().getOut();
    boolean live = System.console() != null;
    while (true) {
      DaemonClient.Response response = client.get("/api/status");
      if (!response.ok()) {
        spec.commandLine().getErr().println("tmux-orc: the monitor answered " + response.status() + ": "
            + response.body());
        return 1;
      }
      JsonNode status = Json.MAPPER.readTree(response.body());
      sample(status);
      if (live) {
        out.print("\033[H\033[2J"); // home, clear: a redraw in place
      }
      frame(status, client, p50s).forEach(out::println);
      if (live) {
        out.printf("every %d s; Ctrl-C to stop%n", interval);
      }
      out.flush();
      if (!live) {
        return 0;
      }
      Thread.sleep(Duration.ofSeconds(interval).toMillis());
    }
  }

  /**
   * Adds the p50 of the status's report interval to the history, once per report: frames come every
   * {@code --interval}, reports every report-interval, and a report seen twice is still one interval.
   */
  void sample(JsonNode status) {
    JsonNode cycles = status.path("cycles");
    JsonNode p50 = cycles.path("p50Ms");
    String reportAt = cycles.path("reportAt").isTextual() ? cycles.path("reportAt").textValue() : null;
    if (!p50.isNumber() || (reportAt != null && reportAt.equals(lastReportAt))) {
      return;
    }
    lastReportAt = reportAt;
    p50s.addLast(p50.asDouble());
    if (p50s.size() > HISTORY) {
      p50s.removeFirst();
    }
  }

  /** The p50s drawn by the sparkline, oldest first. */
  List<Double> history() {
    return List.copyOf(p50s);
  }

  static List<String> frame(JsonNode status, DaemonClient client, Deque<Double> p50s) {
    JsonNode cycles = status.path("cycles");
    String trend = p50s.isEmpty() ? "(no cycle report yet)" : sparkline(p50s) + "  now " + cycles.path("p50Ms").asText()
        + " ms p50, " + cycles.path("p95Ms").asText() + " ms p95";
    StringBuilder agents = new StringBuilder("agents:  ").append(status.path("agents").path("total").asInt());
    for (Iterator<Map.Entry<String, JsonNode>> it = status.path("agents").path("byState").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> state = it.next();
      if (state.getValue().asInt() > 0) {
        agents.append(", ").append(state.getValue().asInt()).append(' ').append(state.getKey());
      }
    }
    List<String> details = StatusCommand.details(status);
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(
        StatusCommand.headline(status, client), "cycle:   " + trend, agents.toString()), details.stream()).toList();
  }

  /** One bar per value, scaled between the smallest and the largest. */
  static String sparkline(Iterable<Double> values) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    StringBuilder line = new StringBuilder();
    for (double v : values) {
      int bar = max == min ? 0 : (int) Math.round((v - min) / (max - min) * (BARS.length() - 1));
      line.append(BARS.charAt(bar));
    }
    return line.toString();
  }
}
