package dev.tmuxorc.cli;

import dev.tmuxorc.hooks.ClaudeSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code tmux-orc hooks uninstall}: removes exactly tmux-orc's hooks from Claude Code's settings. */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
    description = {
        "Remove tmux-orc's hooks (handlers posting to /api/hooks/, or running tmux-orc hook) from Claude Code's "
            + "settings.json, and the matcher groups and events left empty by that; everything else stays. The "
            + "file is copied to settings.json.bak-<UTC time> first.",
        "Exit status: 0 removed or none there, 2 unreadable settings file or bad usage."})
final class HooksUninstallCommand implements Callable<Integer> {

  @ParentCommand
  HooksCommand hooks;

  @Spec
  CommandSpec spec;

  @Mixin
  HooksCommand.Scopes scopes;

  @Option(names = "--dry-run", description = "Print the resulting settings.json and write nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    Launcher.logLevel(hooks.main.global, true);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path file = scopes.file();
    ClaudeSettings settings = ClaudeSettings.read(file);
    int ours = settings.ours().size();
    boolean changed = settings.uninstall();
    if (dryRun) {
      out.print(settings.text());
      err.println(changed ? "would remove " + ours + " tmux-orc hook(s) from " + file + " (dry run: nothing written)"
          : "no tmux-orc hooks in " + file + ": nothing to change");
    } else if (changed) {
      Optional<Path> backup = settings.write(Instant.now());
      out.println("removed " + ours + " tmux-orc hook(s) from " + file
          + backup.map(b -> " (previous file: " + b + ")").orElse(""));
    } else {
      out.println("no tmux-orc hooks in " + file + ": nothing changed");
    }
    out.flush();
    err.flush();
    return 0;
  }
}
