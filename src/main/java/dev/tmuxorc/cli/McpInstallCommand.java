package dev.tmuxorc.cli;

import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.hooks.McpConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc mcp install --project DIR}: the entry that starts {@code tmux-orc mcp}, in DIR/.mcp.json. */
@Command(name = "install", mixinStandardHelpOptions = true,
    description = {
        "Write the entry that starts this installation's `tmux-orc mcp` (its launcher, with -c when given) into "
            + "DIR/.mcp.json under mcpServers.tmux-orc, where Claude Code started in DIR finds it. Other servers "
            + "and keys stay as they are.",
        "Idempotent: installing again changes nothing. Before changing an existing file it is copied to "
            + ".mcp.json.bak-<UTC time>. A base directory other than the default is passed on in env.",
        "Exit status: 0 installed or already there, 2 unreadable .mcp.json or bad usage."})
final class McpInstallCommand implements Callable<Integer> {

  @ParentCommand
  McpCommand mcp;

  @Spec
  CommandSpec spec;

  @Option(names = "--project", paramLabel = "DIR", required = true,
      description = "The project whose .mcp.json gets the entry (where the PM's Claude Code runs).")
  Path project;

  @Option(names = "--dry-run", description = "Print the resulting .mcp.json and write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    GlobalOptions global = mcp.main.global;
    Launcher.logLevel(global, true);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<String> command = command(global);
    Map<String, String> env = new LinkedHashMap<>();
    String base = System.getenv(BaseDir.ENV_VAR);
    if (System.getProperty(BaseDir.PROPERTY) != null || base != null && !base.isBlank()) {
      env.put(BaseDir.ENV_VAR, BaseDir.current().path().toString());
    }
    McpConfig config = McpConfig.read(McpConfig.projectFile(project));
    boolean changed = config.install(command.get(0), command.subList(1, command.size()), env);
    String what = "mcpServers." + McpConfig.SERVER + " -> " + String.join(" ", command);
    if (dryRun) {
      out.print(config.text());
      err.println(changed ? "would write " + what + " in " + config.file() + " (dry run: nothing written)"
          : config.file() + " already has " + what + ": nothing to change");
    } else if (changed) {
      Optional<Path> backup = config.write(Instant.now());
      out.println("wrote " + what + " in " + config.file() + backup.map(b -> " (previous file: " + b + ")")
          .orElse("") + "; Claude Code started in " + project + " offers it (approve it there)");
    } else {
      out.println(config.file() + " already has " + what + ": nothing changed");
    }
    out.flush();
    err.flush();
    return 0;
  }

  /**
   * How Claude Code starts this tmux-orc's MCP server, as a program and its arguments (no shell): the launcher's
   * absolute path when it started us, else java -jar with this jar, else java with this class path.
   */
  static List<String> command(GlobalOptions global) {
    List<String> command = new ArrayList<>();
    String launcher = System.getProperty(Launcher.LAUNCHER_PROPERTY);
    if (launcher != null && !launcher.isBlank()) {
      command.add(Path.of(launcher).toAbsolutePath().normalize().toString());
    } else {
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      String self = Launcher.selfCommand();
      if (self.startsWith("java -jar ")) {
        command.add("-jar");
        command.add(Path.of(self.substring(10)).toAbsolutePath().normalize().toString());
      } else {
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
      }
    }
    global.configFile().ifPresent(c -> {
      command.add("-c");
      command.add(c.toAbsolutePath().toString());
    });
    command.add("mcp");
    return command;
  }
}
