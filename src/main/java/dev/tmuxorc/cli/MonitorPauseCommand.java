package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.json.Json;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor pause DURATION}: actions off for a while; observation goes on. */
@Command(name = "pause", mixinStandardHelpOptions = true,
    description = {
        "Pause the background monitor's actions on agents for DURATION (it keeps watching and logging), through "
            + "POST /api/monitor/pause. Prints when they resume. Exit status 1 when it is not running or refuses."})
final class MonitorPauseCommand implements Callable<Integer> {

  @ParentCommand
  MonitorCommand monitor;

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "DURATION", description = "How long, e.g. 30s, 10m, 2h.")
  String duration;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(monitor.main.global, true);
    try {
      new DurationConverter().convert(duration); // a typo is refused here, not by the daemon
    } catch (CommandLine.TypeConversionException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "DURATION " + e.getMessage());
    }
    DaemonClient client = MonitorCommand.client(monitor.main.global);
    DaemonClient.Response response = client.post("/api/monitor/pause?duration="
        + URLEncoder.encode(duration.trim(), StandardCharsets.UTF_8));
    return report(spec, response, body -> {
      JsonNode until = body.path("pausedUntil");
      return until.isMissingNode() || until.isNull() ? "paused" : "paused until " + until.asText();
    });
  }

  /** Prints the answer: the line made from its JSON when 2xx, else the status and body as an error. */
  static int report(CommandSpec spec, DaemonClient.Response response,
      java.util.function.Function<JsonNode, String> line) {
    PrintWriter out = spec.commandLine().getOut();
    if (!response.ok()) {
      spec.commandLine().getErr().println("tmux-orc: the monitor answered " + response.status()
          + (response.body().isBlank() ? "" : ": " + response.body().strip()));
      return 1;
    }
    JsonNode body;
    try {
      body = response.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
    } catch (java.io.IOException e) {
      body = Json.MAPPER.createObjectNode();
    }
    out.println(line.apply(body));
    out.flush();
    return 0;
  }
}
