package dev.tmuxorc.monitor;

import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.tmux.Reply;
import dev.tmuxorc.tmux.TmuxCommand;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One capture sweep as a Pekko Stream: the agents to capture, grouped into batches that are pipelined on
 * one control client each, at most {@code parallelism} batches in flight (the pool's size), each capture
 * handed to {@code deliver} as soon as its batch is back. The single way tmux-orc captures panes.
 */
public final class Sweep {

  private final ActorRef<TmuxPool.Command> pool;
  private final ActorSystem<?> system;
  private final int batchSize;
  private final int parallelism;
  private final Duration askTimeout;
  private final Clock clock;

  public Sweep(ActorRef<TmuxPool.Command> pool, ActorSystem<?> system, int batchSize, int parallelism,
      Duration askTimeout, Clock clock) {
    this.pool = pool;
    this.system = system;
    this.batchSize = batchSize;
    this.parallelism = parallelism;
    this.askTimeout = askTimeout;
    this.clock = clock;
  }

  /** Captures every agent's visible screen; completes with the number of captures delivered. */
  public CompletionStage<Integer> run(List<AgentPane> agents, Consumer<Capture> deliver) {
    if (agents.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    return Source.from(agents)
        .grouped(batchSize)
        .mapAsyncUnordered(parallelism, this::captureBatch)
        .mapConcat(captures -> captures)
        .runWith(Sink.fold(0, (count, capture) -> {
          deliver.accept(capture);
          return count + 1;
        }), system);
  }

  /** Convenience for one-shot use: all captures, in no particular order. */
  public CompletionStage<List<Capture>> collect(List<AgentPane> agents) {
    List<Capture> captures = new ArrayList<>(agents.size());
    return run(agents, captures::add).thenApply(done -> captures);
  }

  private CompletionStage<List<Capture>> captureBatch(List<AgentPane> batch) {
    List<TmuxCommand> commands = batch.stream().map(a -> TmuxCommand.capturePane(a.paneId())).toList();
    CompletionStage<List<Reply>> replies = AskPattern.askWithStatus(pool,
        replyTo -> new TmuxPool.Run(commands, replyTo), askTimeout, system.scheduler());
    return replies.handle((ok, error) -> {
      var at = clock.instant();
      List<Capture> captures = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        AgentPane agent = batch.get(i);
        if (error != null) {
          captures.add(new Capture.Failed(agent, describe(error), at));
        } else if (ok.get(i).ok()) {
          captures.add(new Capture.Screen(agent, ok.get(i).text(), at));
        } else {
          captures.add(new Capture.Failed(agent, ok.get(i).text(), at));
        }
      }
      return captures;
    });
  }

  static String describe(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }

}
