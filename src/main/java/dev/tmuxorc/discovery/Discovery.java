package dev.tmuxorc.discovery;

import dev.tmuxorc.tmux.Reply;
import dev.tmuxorc.tmux.TmuxCommand;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/** Lists every pane with one {@code list-panes -a} call and answers with the panes to watch. */
public final class Discovery extends AbstractBehavior<Discovery.Command> {

  public sealed interface Command { }

  /** Discover now; the reply holds every pane seen and the agents among them. */
  public record Discover(ActorRef<StatusReply<Result>> replyTo) implements Command { }

  /** What one pass found. */
  public record Result(List<Pane> panes, List<AgentPane> agents) { }

  private record Listed(List<Reply> replies, Throwable failure, ActorRef<StatusReply<Result>> replyTo)
      implements Command { }

  public static Behavior<Command> create(ActorRef<TmuxPool.Command> pool, AgentMatcher matcher, String roleOption,
      Duration askTimeout) {
    return Behaviors.setup(context -> new Discovery(context, pool, matcher, roleOption, askTimeout));
  }

  private final ActorRef<TmuxPool.Command> pool;
  private final AgentMatcher matcher;
  private final TmuxCommand listPanes;
  private final Duration askTimeout;

  private Discovery(ActorContext<Command> context, ActorRef<TmuxPool.Command> pool, AgentMatcher matcher,
      String roleOption, Duration askTimeout) {
    super(context);
    // Pekko cannot always infer the class of a behavior created in setup(); name the logger ourselves.
    context.setLoggerName(Discovery.class);
    this.pool = pool;
    this.matcher = matcher;
    this.listPanes = PaneFormat.listPanes(roleOption);
    this.askTimeout = askTimeout;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Discover.class, this::onDiscover)
        .onMessage(Listed.class, this::onListed)
        .build();
  }

  private Behavior<Command> onDiscover(Discover discover) {
    CompletionStage<List<Reply>> replies = AskPattern.askWithStatus(pool,
        replyTo -> new TmuxPool.Run(List.of(listPanes), replyTo), askTimeout, getContext().getSystem().scheduler());
    getContext().pipeToSelf(replies, (ok, failure) -> new Listed(ok, failure, discover.replyTo()));
    return this;
  }

  private Behavior<Command> onListed(Listed listed) {
    if (listed.failure() != null) {
      listed.replyTo().tell(StatusReply.error(listed.failure()));
      return this;
    }
    Reply reply = listed.replies().get(0);
    if (!reply.ok()) {
      // "no server running" after the client connected means the server went away between the two.
      listed.replyTo().tell(StatusReply.error("list-panes failed: " + reply.text()));
      return this;
    }
    List<String> rejected = new ArrayList<>();
    List<Pane> panes = PaneFormat.parse(reply.lines(), rejected);
    for (String line : rejected) {
      getContext().getLog().warn("ignoring a list-panes line that does not parse: {}", line);
    }
    listed.replyTo().tell(StatusReply.success(new Result(panes, matcher.match(panes))));
    return this;
  }
}
