package dev.tmuxorc.monitor;

import dev.tmuxorc.agent.Capture;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.tmux.Reply;
import dev.tmuxorc.tmux.TmuxClient;
import dev.tmuxorc.tmux.TmuxCommand;
import dev.tmuxorc.tmux.TmuxPool;
import dev.tmuxorc.tmux.TmuxUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Capture sweeps through one long-lived Pekko Stream: each sweep cuts its agents into batches that are
 * pipelined on one control client each and offers them to the stream's queue, which runs at most
 * {@code parallelism} batches at once (the pool's size) for every sweep together: the periodic ones, the change
 * watcher's and the agents' own confirmations. Each capture is handed to {@code deliver} the moment its reply
 * arrives, on the client's reader thread or the stream's, so agents classify early screens while later ones
 * are still being read; {@code deliver} must be thread-safe and quick. The single way tmux-orc captures panes.
 *
 * <p>The stream is materialized once (by the owner's materializer, so it stops with its owner): materializing
 * one per sweep cost about half a millisecond, a twentieth of a whole cycle at 100 agents.
 */
public final class Sweep {

  /** A sweep led by another command: that command's reply (it arrives first), and the captures' count. */
  public record Led(CompletionStage<Reply> lead, CompletionStage<Integer> captures) { }

  /**
   * One batch; {@code delivered} marks each capture handed on, by the listener as its reply arrives or when the
   * batch ends (or fails), so that each is delivered exactly once. {@code done} completes as soon as every
   * capture is delivered: the pool's own reply comes a few thread hops later, up to milliseconds on a busy
   * machine, and the cycle need not wait for it.
   */
  private record Batch(TmuxCommand lead, CompletableFuture<Reply> leadReply, List<AgentPane> agents,
      Consumer<Capture> deliver, AtomicIntegerArray delivered, AtomicInteger undelivered,
      CompletableFuture<Integer> done) { }

  /** Batches waiting for a client, for all sweeps together; beyond this a sweep's batches fail at once. */
  static final int QUEUED_BATCHES = 4096;

  private final ActorRef<TmuxPool.Command> pool;
  private final ActorSystem<?> system;
  private final int batchSize;
  private final Duration askTimeout;
  private final Clock clock;
  private final BoundedSourceQueue<Batch> queue;

  public Sweep(ActorRef<TmuxPool.Command> pool, ActorSystem<?> system, Materializer materializer, int batchSize,
      int parallelism, Duration askTimeout, Clock clock) {
    this.pool = pool;
    this.system = system;
    this.batchSize = batchSize;
    this.askTimeout = askTimeout;
    this.clock = clock;
    this.queue = Source.<Batch>queue(QUEUED_BATCHES)
        .mapAsyncUnordered(parallelism, this::captureBatch)
        .to(Sink.ignore())
        .run(materializer);
  }

  /** Captures every agent's visible screen; completes with the number of captures delivered. */
  public CompletionStage<Integer> run(List<AgentPane> agents, Consumer<Capture> deliver) {
    if (agents.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    return sweep(batches(null, null, agents, deliver));
  }

  /**
   * Captures every agent's screen after running {@code lead} (discovery's list-panes) in front of the first
   * batch, in the same write to the same client: a whole cycle costs one round trip, and tmux answers in
   * order, so the lead's reply arrives before any capture of its batch.
   */
  public Led runLedBy(TmuxCommand lead, List<AgentPane> agents, Consumer<Capture> deliver) {
    CompletableFuture<Reply> leadReply = new CompletableFuture<>();
    return new Led(leadReply, sweep(batches(lead, leadReply, agents, deliver)));
  }

  /** Convenience for one-shot use: all captures, in no particular order. */
  public CompletionStage<List<Capture>> collect(List<AgentPane> agents) {
    Queue<Capture> captures = new ConcurrentLinkedQueue<>();
    return run(agents, captures::add).thenApply(done -> List.copyOf(captures));
  }

  private List<Batch> batches(TmuxCommand lead, CompletableFuture<Reply> leadReply, List<AgentPane> agents,
      Consumer<Capture> deliver) {
    List<Batch> batches = new ArrayList<>();
    for (int from = 0; from < agents.size() || (from == 0 && lead != null); from += batchSize) {
      List<AgentPane> slice = agents.subList(from, Math.min(agents.size(), from + batchSize));
      batches.add(new Batch(from == 0 ? lead : null, from == 0 ? leadReply : null, slice, deliver,
          new AtomicIntegerArray(slice.size()), new AtomicInteger(slice.size()), new CompletableFuture<>()));
    }
    return batches;
  }

  private CompletionStage<Integer> sweep(List<Batch> batches) {
    CompletableFuture<?>[] done = new CompletableFuture<?>[batches.size()];
    for (int i = 0; i < batches.size(); i++) {
      Batch batch = batches.get(i);
      done[i] = batch.done();
      QueueOfferResult offered = queue.offer(batch);
      if (offered != QueueOfferResult.enqueued()) {
        finish(batch, null, new TmuxUnavailableException(offered == QueueOfferResult.dropped()
            ? "too many captures waiting (" + QUEUED_BATCHES + " batches)" : "the capture stream has stopped"));
      }
    }
    return CompletableFuture.allOf(done).thenApply(all -> batches.stream().mapToInt(b -> b.done().join()).sum());
  }

  // Never fails: a failed batch delivers failed captures, and the stream must outlive it.
  private CompletionStage<Integer> captureBatch(Batch batch) {
    List<AgentPane> agents = batch.agents();
    int offset = batch.lead() == null ? 0 : 1;
    List<TmuxCommand> commands = new ArrayList<>(agents.size() + offset);
    if (batch.lead() != null) {
      commands.add(batch.lead());
    }
    agents.forEach(agent -> commands.add(TmuxCommand.capturePane(agent.paneId().value())));
    AtomicIntegerArray delivered = batch.delivered();
    TmuxClient.ReplyListener listener = (index, reply) -> {
      if (index < offset) {
        batch.leadReply().complete(reply);
      } else if (delivered.compareAndSet(index - offset, 0, 1)) {
        batch.deliver().accept(capture(agents.get(index - offset), reply, clock.instant()));
        delivered(batch);
      }
    };
    CompletionStage<List<Reply>> replies = AskPattern.askWithStatus(pool,
        replyTo -> new TmuxPool.Run(commands, listener, replyTo), askTimeout, system.scheduler());
    return replies.handle((ok, error) -> {
      finish(batch, error == null ? ok : null, error);
      return batch.agents().size();
    });
  }

  // Delivers what the listener has not, completes the lead and the batch.
  private void finish(Batch batch, List<Reply> replies, Throwable error) {
    int offset = batch.lead() == null ? 0 : 1;
    Instant at = clock.instant();
    try {
      if (batch.leadReply() != null) {
        if (error != null) {
          batch.leadReply().completeExceptionally(error);
        } else {
          batch.leadReply().complete(replies.get(0));
        }
      }
      List<AgentPane> agents = batch.agents();
      if (agents.isEmpty()) {
        batch.done().complete(0);
      }
      for (int i = 0; i < agents.size(); i++) {
        if (batch.delivered().compareAndSet(i, 0, 1)) {
          batch.deliver().accept(error != null ? new Capture.Failed(agents.get(i), describe(error), at)
              : capture(agents.get(i), replies.get(i + offset), at));
          delivered(batch);
        }
      }
      // The listener may still be handing on a capture it marked: whoever hands on the last one completes the
      // batch, after its hand-over (else a cycle could end, and a barrier be asked, before an agent got it).
    } catch (RuntimeException e) {
      batch.done().completeExceptionally(e);
    }
  }

  // One more capture handed on; the last one completes the batch.
  private static void delivered(Batch batch) {
    if (batch.undelivered().decrementAndGet() == 0) {
      batch.done().complete(batch.agents().size());
    }
  }

  private static Capture capture(AgentPane agent, Reply reply, Instant at) {
    return reply.ok() ? new Capture.Screen(agent, reply.text(), at) : new Capture.Failed(agent, reply.text(), at);
  }

  static String describe(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
