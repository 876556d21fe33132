package dev.tmuxorc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.daemon.DaemonCommandLine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
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
  void anythingElseGoesToTheWholeCommandLine() {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
      // not the daemon's shape: the whole command line answers
      assertEquals(0, DaemonMain.run("--version"));
      assertTrue(printed.toString(StandardCharsets.UTF_8).contains("tmux-orc "), printed::toString);
      printed.reset();
      // the daemon's shape with an option it does not know: the whole command line's error and status
      assertEquals(2, DaemonMain.run("monitor", "--foreground", "--no-such-option"));
      assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Unknown option: '--no-such-option'"),
          printed::toString);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
