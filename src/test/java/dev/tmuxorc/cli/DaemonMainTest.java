package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.daemon.DaemonCommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The daemon's entry point: it reads every option {@code monitor start} passes on as the whole command line
 * would, and hands anything else to the whole command line.
 */
class DaemonMainTest {

  @Test
  void theDaemonIsLaunchedThroughIt() {
    assertEquals(DaemonMain.class.getName(), DaemonCommandLine.MAIN_CLASS);
  }

  @Test
  void itReadsTheOptionsMonitorStartPassesOnAsTheWholeCommandLineDoes() {
    // every option of `monitor start`, as the user may give them
    CommandLine whole = Main.commandLine();
    whole.parseArgs("monitor", "start", "--strategy", "polling", "--pool-size", "3", "--no-cache", "--dry-run",
        "--http-port", "0", "--events", "/tmp/events.jsonl", "-L", "work", "-S", "/tmp/tmux.sock", "-c",
        "/tmp/tmux-orc.conf", "-v", "-v");
    MonitorStartCommand start = whole.getSubcommands().get("monitor").getSubcommands().get("start").getCommand();
    // what it passes on to the daemon (MonitorStartCommand.call)
    List<String> args = new ArrayList<>(DaemonMain.PREFIX);
    args.addAll(start.options.args());
    args.addAll(start.monitor.main.global.args());

    CommandLine daemon = DaemonMain.commandLine(args);
    daemon.parseArgs(DaemonMain.options(args));
    DaemonMain parsed = daemon.getCommand();
    assertEquals(start.options.overrides(), parsed.options.overrides());
    assertEquals(start.options.args(), parsed.options.args());
    assertEquals(start.monitor.main.global.args(), parsed.global.args());
    assertEquals(5, parsed.options.overrides().size(), "strategy, pool size, cache, dry run, port");
    assertEquals("/tmp/events.jsonl", parsed.options.events.file.toString());
  }

  @Test
  void aMistakeInTheDaemonsOptionsIsReportedWithTheStatusOfTheWholeCommandLine(@TempDir Path dir) {
    String printed = printedBy(() -> assertEquals(2, DaemonMain.run("monitor", "--foreground", "-c",
        dir.resolve("missing.conf").toString())));
    assertTrue(printed.contains("tmux-orc: configuration file not found"), printed);
  }

  @Test
  void anythingElseGoesToTheWholeCommandLine() {
    // not the daemon's shape
    String version = printedBy(() -> assertEquals(0, DaemonMain.run("--version")));
    assertTrue(version.contains("tmux-orc "), version);
    // the daemon's shape with options only the whole command line knows (the daemon's command has no --help)
    String help = printedBy(() -> assertEquals(0, DaemonMain.run("monitor", "--foreground", "--no-http", "--help")));
    assertTrue(help.contains("Usage: tmux-orc monitor"), help);
    // and one nobody knows: the whole command line's error and status
    String unknown = printedBy(() -> assertEquals(2, DaemonMain.run("monitor", "--foreground", "--no-such-option")));
    assertTrue(unknown.contains("Unknown option: '--no-such-option'"), unknown);
    assertTrue(unknown.contains("Possible solutions: --no-http"), "the whole command line's advice: " + unknown);
  }

  // What `run` printed on stdout and stderr.
  private static String printedBy(Runnable run) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      run.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }
}
