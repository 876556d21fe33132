package dev.tmuxorc.cli;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.LogTail;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tmux-orc monitor logs}: the end of the background monitor's log, and following it. */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = {
        "Print the last lines of the background monitor's log, BASE/logs/monitor.log (written by a monitor "
            + "started with `monitor start`; under systemd read the journal instead).",
        "With -f, keep printing what is appended (across log rotation) until Ctrl-C."})
final class MonitorLogsCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "50",
      description = "How many lines to print (default 50).")
  int lines;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C.")
  boolean follow;

  @Option(names = "--performance", description = "The cycle reports instead (BASE/logs/performance.log).")
  boolean performance;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    BaseDir base = BaseDir.current();
    Path file = performance ? base.performanceLog() : base.monitorLog();
    if (!Files.exists(file) && !follow) {
      spec.commandLine().getErr().println("tmux-orc: no log at " + file + " (a monitor started with "
          + "`monitor start` writes it)");
      return 1;
    }
    long end = LogTail.end(file);
    if (Files.exists(file)) {
      LogTail.last(file, lines).forEach(out::println);
    }
    out.flush();
    if (follow) {
      // until Ctrl-C: the JVM exits on SIGINT and ends this loop with it
      LogTail.follow(file, end, 250, line -> {
        out.println(line);
        out.flush();
      }, () -> !Thread.currentThread().isInterrupted());
    }
    return 0;
  }
}
