package dev.tmuxorc.cli;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code tmux-orc actions}: the journal's {@code Action} entries ({@code events --type Action}). */
@Command(name = "actions", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Print what tmux-orc did or held back about the agents: PM reports delivered, deferred (busy PM, a prompt "
            + "holding text), suppressed (cooldown), failed or returned; auto-submit; every dry-run. The "
            + "journal's Action entries, oldest first (docs/actions.md); the same options as `events` (--type is "
            + "Action).",
        "Exit status: 0 ok, 1 no journal or an unreadable one, 2 bad usage or configuration.",
        ""},
    footer = {"", "Examples:",
        "  tmux-orc actions --since 1h           the last hour",
        "  tmux-orc actions -f                   live",
        "  tmux-orc actions --json | jq -c 'select(.outcome == \"delivered\")'"})
final class ActionsCommand extends EventsCommand {

  @Override
  public Integer call() throws Exception {
    types = List.of("Action");
    return super.call();
  }
}
