package dev.tmuxorc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc config}: the configuration's subcommands. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Inspect tmux-orc's configuration.",
    subcommands = {ConfigCheckCommand.class})
final class ConfigCommand implements Runnable {

  @ParentCommand
  Main main;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut(), CommandLine.Help.Ansi.OFF);
  }
}
