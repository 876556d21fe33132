package dev.tmuxorc.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The entry point of the daemon that {@code monitor start} launches ({@code dev.tmuxorc.daemon.DaemonCommandLine}):
 * {@code monitor --foreground} with the monitor's and the global options, parsed by a command of those options
 * alone. Building the whole command line (every command's options and help, by reflection) took ~0.3 s of the
 * daemon's start on a busy 2-core machine, on the way to /health/ready (docs/benchmarks.md, Run 10).
 *
 * <p>Anything else (a record's arguments from a monitor that the user ran with other options, say
 * {@code --no-http}) goes to the whole command line, {@link Main}, as before.
 */
@Command(name = "tmux-orc monitor --foreground")
public final class DaemonMain implements Callable<Integer> {

  /** How the daemon's arguments begin; the options follow. */
  static final List<String> PREFIX = List.of("monitor", "--foreground");

  @Mixin
  GlobalOptions global;

  @Mixin
  MonitorOptions options;

  @Spec
  CommandSpec spec;

  private final List<String> args;

  private DaemonMain(List<String> args) {
    this.args = args;
  }

  public static void main(String[] args) {
    if (!isDaemons(List.of(args))) {
      Main.main(args);
      return;
    }
    Main.startUp();
    System.exit(run(args));
  }

  /** Runs the monitor as {@code tmux-orc ARGS} would, and returns the exit status. */
  static int run(String... args) {
    List<String> all = List.of(args);
    if (!isDaemons(all)) {
      return Main.run(args);
    }
    CommandLine commandLine = commandLine(all);
    try {
      commandLine.parseArgs(options(all));
    } catch (CommandLine.ParameterException notOurs) {
      return Main.run(args); // it reports a mistake as the whole command line does, or runs what it knows
    }
    return commandLine.execute(options(all));
  }

  /** Whether {@code args} have the daemon's shape: {@link #PREFIX}, then options. */
  private static boolean isDaemons(List<String> args) {
    return args.size() >= PREFIX.size() && args.subList(0, PREFIX.size()).equals(PREFIX);
  }

  /** The daemon's command for {@code args} (which begin with {@link #PREFIX}); it parses {@link #options}. */
  static CommandLine commandLine(List<String> args) {
    return Main.withErrorStatuses(new CommandLine(new DaemonMain(args)));
  }

  /** The options in {@code args}: what follows {@link #PREFIX}. */
  static String[] options(List<String> args) {
    return args.subList(PREFIX.size(), args.size()).toArray(String[]::new);
  }

  @Override
  public Integer call() {
    return ForegroundMonitor.run(global, options.overrides(), options.events.file, spec.commandLine().getErr(),
        args);
  }
}
