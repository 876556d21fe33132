package dev.tmuxorc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tmux-orc completion bash|zsh}: a shell completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {
        "Print a completion script for bash or zsh. Load it in the current shell with",
        "  source <(tmux-orc completion bash)",
        "or install it, e.g. tmux-orc completion bash > ~/.local/share/bash-completion/completions/tmux-orc",
        "(zsh: add `source <(tmux-orc completion zsh)` to ~/.zshrc; it loads bash-completion support first)."})
final class CompletionCommand implements Callable<Integer> {

  /** zsh runs bash completion scripts through its bashcompinit emulation. */
  static final String ZSH_PREAMBLE = "autoload -U +X compinit && compinit\n"
      + "autoload -U +X bashcompinit && bashcompinit\n";

  /** The shells a script is made for. */
  enum Shell { bash, zsh }

  @Spec
  CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (shell == Shell.zsh) {
      out.print(ZSH_PREAMBLE);
    }
    out.print(AutoComplete.bash("tmux-orc", Main.commandLine()));
    out.flush();
    return 0;
  }
}
