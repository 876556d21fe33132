package dev.tmuxorc.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc perf}: the running monitor's performance. */
@Command(name = "perf", mixinStandardHelpOptions = true,
    description = "The running monitor's performance: `tmux-orc perf watch` shows it live.",
    subcommands = PerfWatchCommand.class)
final class PerfCommand implements Runnable {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
