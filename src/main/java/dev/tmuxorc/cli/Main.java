package dev.tmuxorc.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code tmux-orc} command line. */
@Command(name = "tmux-orc", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {
        "Supervises AI coding agents (Claude Code, Codex, Aider, Gemini CLI) running in tmux panes: knows what "
            + "state each one is in and what needs attention.",
        "",
        "Global options (-L, -S, -c, -v) go before or after the command.",
        "Configuration: --config FILE, else $TMUX_ORC_CONFIG, else BASE/application.conf (BASE: "
            + "$TMUX_ORCHESTRATOR_BASE_DIR, else ~/.tmux-orchestrator), "
            + "else built-in defaults (see conf/application.conf)."},
    subcommands = {ScanCommand.class, StatusCommand.class, ExplainCommand.class, HealthCommand.class, MonitorCommand.class,
        EventsCommand.class, ActionsCommand.class, PerfCommand.class, ClassifyCommand.class, DemoCommand.class,
        BenchmarkCommand.class, ConfigCommand.class, CompletionCommand.class, HookCommand.class, HooksCommand.class,
        McpCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @Mixin
  GlobalOptions global;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    if (HookCommand.isHookCall(args)) {
      // An agent's hook, on every tool call: no logging set-up, nothing printed, exit 0 whatever happens.
      System.exit(HookCommand.runSilently(args));
    }
    startUp();
    System.exit(run(args));
  }

  /** What a tmux-orc JVM does first (this command line, and the daemon's: {@link DaemonMain}). */
  static void startUp() {
    // Reading the reference configuration (Pekko's, pekko-http's and ours: ~0.15 s in a cold JVM) on a thread of
    // its own while logging and picocli start: most commands load the configuration next (Typesafe Config caches
    // it, and a reader arriving meanwhile waits for it).
    Thread configWarmUp = new Thread(Main::readReferenceConfig, "config-warm-up");
    configWarmUp.setDaemon(true);
    configWarmUp.start();
    // Creating a logger on the main thread first avoids SLF4J's "replayed" warning at start-up.
    LoggerFactory.getLogger(Main.class);
  }

  private static void readReferenceConfig() {
    try {
      ConfigFactory.defaultReference();
    } catch (RuntimeException e) {
      // the command that loads the configuration meets it again, and reports it
    }
  }

  /**
   * Runs the command line and returns the exit status (0 ok, 1 tmux or the monitor unreachable or a failed
   * start/stop, 2 usage or configuration, 3 {@code monitor status}: not running).
   */
  public static int run(String... args) {
    CommandLine commandLine = commandLine();
    return commandLine.execute(args);
  }

  static CommandLine commandLine() {
    return withErrorStatuses(new CommandLine(new Main()));
  }

  /** {@code commandLine} reporting configuration and daemon errors as a message and an exit status. */
  static CommandLine withErrorStatuses(CommandLine commandLine) {
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof SettingsException) {
        cmd.getErr().println("tmux-orc: " + e.getMessage());
        return 2;
      }
      if (e instanceof DaemonUnavailableException) {
        cmd.getErr().println("tmux-orc: " + e.getMessage());
        return 1;
      }
      if (e instanceof ConfigException) {
        // e.g. a detection marker that is not a valid regex: Typesafe's message names the key and the file
        cmd.getErr().println("tmux-orc: invalid configuration: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return commandLine;
  }

  /**
   * Version from the jar manifest, when packaged, and the JVM it runs on: the second line shows whether the
   * launcher's heap and GC flags took effect.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
          .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
      return new String[] {
          "tmux-orc " + dev.tmuxorc.config.Version.current(),
          "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + "), max heap "
              + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB, GC: " + gcs};
    }
  }
}
