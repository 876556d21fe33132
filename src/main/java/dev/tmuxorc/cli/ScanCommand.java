package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.discovery.AgentMatcher;
import dev.tmuxorc.discovery.Discovery;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.monitor.Scan;
import dev.tmuxorc.monitor.Sweep;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Clock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.Materializer;
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
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      List<AgentStatus> agents = snapshot(config, settings);
      if (json) {
        out.println(Json.PRETTY.writeValueAsString(agents.stream().map(AgentView::of).toList()));
      } else {
        new AgentTable(agents.stream().map(AgentView::of).toList()).print(out);
      }
      out.flush();
      return 0;
    } catch (ExecutionException | CompletionException | TimeoutException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("tmux-orc: cannot scan: " + (cause instanceof TimeoutException ? "tmux did not answer in time"
          : cause.getMessage()));
      err.flush();
      return 1;
    }
  }

  /** One discovery, one capture of each agent, each screen classified on its own; the tmux clients closed. */
  static List<AgentStatus> snapshot(Config config, Settings settings) throws Exception {
    ActorSystem<TmuxPool.Command> system = Launcher.startPool(config, settings);
    try {
      Duration timeout = Monitor.captureTimeout(settings).multipliedBy(2);
      Sweep sweep = new Sweep(system, system, Materializer.matFromSystem(system),
          settings.monitoring().captureBatchSize(), settings.monitoring().pool().maxSize(),
          Monitor.captureTimeout(settings), Clock.systemUTC());
      Discovery discovery = new Discovery(new AgentMatcher(settings.discovery(),
          settings.tmux().hiddenSessionPrefix()), settings.discovery().roleOption());
      return Scan.run(sweep, discovery, Classifier.fromConfig(settings.detection()), Clock.systemUTC())
          .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      settings.tmux().removeHiddenSession();
    }
  }
}
