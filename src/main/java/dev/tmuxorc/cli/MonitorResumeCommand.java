package dev.tmuxorc.cli;

import dev.tmuxorc.daemon.DaemonClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor resume}: ends a pause at once. */
@Command(name = "resume", mixinStandardHelpOptions = true,
    description = {"Resume the background monitor's actions now (POST /api/monitor/resume). Exit status 1 when "
        + "it is not running or refuses."})
final class MonitorResumeCommand implements Callable<Integer> {

  @ParentCommand
  MonitorCommand monitor;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Launcher.logLevel(monitor.main.global, true);
    DaemonClient client = MonitorCommand.client(monitor.main.global);
    return MonitorPauseCommand.report(spec, client.post("/api/monitor/resume"), body -> "resumed");
  }
}
