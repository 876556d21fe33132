package dev.tmuxorc.cli;

import com.typesafe.config.Config;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.daemon.DaemonClient;
import dev.tmuxorc.daemon.DaemonUnavailableException;
import dev.tmuxorc.hooks.ClaudeSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code tmux-orc hooks}: installs, removes and inspects tmux-orc's hooks in Claude Code's settings. */
@Command(name = "hooks", mixinStandardHelpOptions = true,
    description = {
        "Claude Code reports its own state through hooks (SessionStart, UserPromptSubmit, PreToolUse, Stop, "
            + "Notification, ...): these commands put tmux-orc's hook into its settings.json, take it out again, "
            + "and show where it is installed and whether events flow.",
        "Other hooks and settings in the file are left as they are."},
    subcommands = {HooksInstallCommand.class, HooksUninstallCommand.class, HooksStatusCommand.class})
final class HooksCommand {

  @ParentCommand
  Main main;

  /** Which settings file: the user's (default), a project's, or (hidden, for tests) any file. */
  static final class Scope {
    @Option(names = "--user", description = "The user's settings: ~/.claude/settings.json ($CLAUDE_CONFIG_DIR "
        + "when set; the default).")
    boolean user;

    @Option(names = "--project", paramLabel = "DIR", description = "The project's shared settings: "
        + "DIR/.claude/settings.json.")
    Path project;

    @Option(names = "--settings", paramLabel = "FILE", hidden = true, description = "This settings file.")
    Path settings;

    Path file() {
      if (settings != null) {
        return settings;
      }
      return project != null ? ClaudeSettings.projectFile(project) : ClaudeSettings.userFile(System.getenv());
    }
  }

  /** At most one scope. */
  static final class Scopes {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Scope scope;

    Path file() {
      return (scope != null ? scope : new Scope()).file();
    }
  }

  /** The running monitor's API URL, else the configured one (a port of 0 is no URL), else none. */
  static Optional<String> monitorUrl(Config config) {
    try {
      return Optional.of(DaemonClient.find(BaseDir.current(), Optional.empty()).base().toString());
    } catch (DaemonUnavailableException e) {
      // not running: the configured address is where it will listen
    }
    if (!config.getBoolean("tmux-orc.http.enabled") || config.getInt("tmux-orc.http.port") == 0) {
      return Optional.empty();
    }
    String host = config.getString("tmux-orc.http.host");
    return Optional.of("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + config.getInt("tmux-orc.http.port"));
  }
}
