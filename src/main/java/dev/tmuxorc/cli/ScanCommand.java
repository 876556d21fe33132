package dev.tmuxorc.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.monitor.Supervisor;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tmux-orc scan}: one pass over the tmux server, printed as a table or JSON. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = {
        "Discover the agents on a tmux server, capture each one's screen once, classify it and print the result.",
        "Only reads panes. Exit status: 0 when the scan ran, 1 when tmux could not be reached, 2 on bad "
            + "configuration or usage."})
final class ScanCommand implements Callable<Integer> {

  @ParentCommand
  Main main;

  @Option(names = "--json", description = "Print a JSON array of agents instead of a table.")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Launcher.logLevel(main.global, true);
    var config = Launcher.config(main.global, Map.of());
    Settings settings = Settings.from(config);
    ActorSystem<Supervisor.Command> system = Launcher.start(config, settings, false);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Duration timeout = settings.monitoring().pool().connectionTimeout()
          .plus(settings.tmux().commandTimeout()).multipliedBy(2);
      List<AgentStatus> agents = AskPattern.<Supervisor.Command, List<AgentStatus>>askWithStatus(system,
              Supervisor.Scan::new, timeout, system.scheduler())
          .toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      if (json) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        out.println(mapper.writeValueAsString(agents.stream().map(AgentView::of).toList()));
      } else {
        new AgentTable(agents).print(out);
      }
      out.flush();
      return 0;
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("tmux-orc: cannot scan: " + cause.getMessage());
      err.flush();
      return 1;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
