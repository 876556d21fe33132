package dev.tmuxorc.cli;

import dev.tmuxorc.config.SettingsException;
import dev.tmuxorc.hooks.ClaudeSettings;
import dev.tmuxorc.hooks.HookForm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc hooks install}: adds tmux-orc's hook to Claude Code's settings for every event it listens to. */
@Command(name = "install", mixinStandardHelpOptions = true,
    description = {
        "Add tmux-orc's hook to Claude Code's settings.json for SessionStart, UserPromptSubmit, PreToolUse, "
            + "PostToolUse, PermissionRequest, Notification, Stop, StopFailure, SubagentStop, PreCompact and "
            + "SessionEnd, after the hooks already there (which stay as they are, like every other key).",
        "Idempotent: installing again changes nothing, another --form replaces ours. Before changing an existing "
            + "file it is copied to settings.json.bak-<UTC time>. Running agents pick it up when they restart.",
        "Forms: http (default when the monitor's URL is known: Claude Code posts the event itself, no process "
            + "started), curl (a curl one-liner, 0.5 s limit), command (tmux-orc hook claude: a JVM start per "
            + "event, for systems without curl).",
        "Exit status: 0 installed or already there, 2 unreadable settings file, no URL known for the form, "
            + "bad usage."})
final class HooksInstallCommand implements Callable<Integer> {

  @ParentCommand
  HooksCommand hooks;

  @Spec
  CommandSpec spec;

  @Mixin
  HooksCommand.Scopes scopes;

  @Option(names = "--form", paramLabel = "FORM", description = "http, curl or command (default: http when the "
      + "monitor's URL is known, else command).")
  String form;

  @Option(names = "--url", paramLabel = "URL", description = "The monitor's API (default: the running monitor's, "
      + "else tmux-orc.http.host and port).")
  String url;

  @Option(names = "--dry-run", description = "Print the resulting settings.json and write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    Launcher.logLevel(hooks.main.global, true);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var config = Launcher.config(hooks.main.global, Map.of());
    Optional<String> baseUrl = Optional.ofNullable(url).or(() -> HooksCommand.monitorUrl(config));
    HookForm chosen;
    try {
      chosen = form != null ? HookForm.of(form) : baseUrl.isPresent() ? HookForm.HTTP : HookForm.COMMAND;
    } catch (IllegalArgumentException e) {
      throw new SettingsException("--form must be http, curl or command, not " + form);
    }
    if (chosen != HookForm.COMMAND && baseUrl.isEmpty()) {
      throw new SettingsException("the monitor's URL is not known (its HTTP API is off or on port 0): start it, "
          + "or give --url, or --form command");
    }
    boolean token = MonitorCommand.token(config).isPresent();
    var handler = chosen.handler("claude", baseUrl.orElse(null), selfCommand(hooks.main.global), token);
    Path file = scopes.file();
    ClaudeSettings settings = ClaudeSettings.read(file);
    boolean changed = settings.install(handler);
    String what = chosen.wireName() + " -> " + HookForm.target(handler);
    if (dryRun) {
      out.print(settings.text());
      err.println(changed ? "would install tmux-orc's hooks (" + what + ") for " + ClaudeSettings.EVENTS.size()
          + " events in " + file + " (dry run: nothing written)" : file + " already has tmux-orc's hooks (" + what
          + "): nothing to change");
    } else if (changed) {
      Optional<Path> backup = settings.write(Instant.now());
      out.println("installed tmux-orc's hooks (" + what + ") for " + ClaudeSettings.EVENTS.size() + " events in "
          + file + backup.map(b -> " (previous file: " + b + ")").orElse(""));
      if (token) {
        out.println("the hooks send $" + HookForm.TOKEN_VAR + " as the token: agents need it in their environment");
      }
    } else {
      out.println(file + " already has tmux-orc's hooks (" + what + "): nothing changed");
    }
    out.flush();
    err.flush();
    return 0;
  }

  /** How a hook runs this tmux-orc: the launcher's absolute path (or java -jar), with -c when one was given. */
  static String selfCommand(GlobalOptions global) {
    String launcher = System.getProperty(Launcher.LAUNCHER_PROPERTY);
    String self;
    if (launcher != null && !launcher.isBlank()) {
      self = quote(Path.of(launcher).toAbsolutePath().normalize().toString());
    } else {
      String command = Launcher.selfCommand();
      self = command.startsWith("java -jar ") ? "java -jar " + quote(Path.of(command.substring(10))
          .toAbsolutePath().normalize().toString()) : command;
    }
    return global.configFile().map(c -> self + " -c " + quote(c.toAbsolutePath().toString())).orElse(self);
  }

  private static String quote(String word) {
    return word.matches("[A-Za-z0-9_./:@%+=-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
