package dev.tmuxorc.discovery;

import dev.tmuxorc.tmux.Reply;
import dev.tmuxorc.tmux.TmuxCommand;
import dev.tmuxorc.tmux.TmuxUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * Discovery as data: the one {@code list-panes -a} call that lists every pane, and what its reply says —
 * every pane seen and the agents among them. The supervisor sends the command at the head of a cycle's
 * capture batch (one round trip for the whole cycle) and interprets the reply here.
 */
public final class Discovery {

  /** What one pass found; {@code rejected} holds list-panes lines that did not parse (and were skipped). */
  public record Result(List<Pane> panes, List<AgentPane> agents, List<String> rejected) { }

  private final AgentMatcher matcher;
  private final TmuxCommand listPanes;

  public Discovery(AgentMatcher matcher, String roleOption) {
    this.matcher = matcher;
    this.listPanes = PaneFormat.listPanes(roleOption);
  }

  public TmuxCommand command() {
    return listPanes;
  }

  /**
   * Reads the reply to {@link #command()}.
   *
   * @throws TmuxUnavailableException when tmux answered with an error ("no server running" after the client
   *     connected means the server went away between the two)
   */
  public Result interpret(Reply reply) {
    if (!reply.ok()) {
      throw new TmuxUnavailableException("list-panes failed: " + reply.text());
    }
    List<String> rejected = new ArrayList<>();
    List<Pane> panes = PaneFormat.parse(reply.lines(), rejected);
    return new Result(panes, matcher.match(panes), List.copyOf(rejected));
  }
}
