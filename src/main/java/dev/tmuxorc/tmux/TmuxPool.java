package dev.tmuxorc.tmux;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * Owns the tmux clients. A batch leases one client for its duration; when all are leased a new one is
 * opened up to {@code max-size}, else the batch waits up to {@code connection-timeout}. Clients older than
 * {@code max-age} are recycled between batches, idle ones are pinged every {@code health-check-interval},
 * and a client that dies fails only the batch it carried and is replaced. While tmux cannot be reached,
 * batches fail at once and the pool reconnects with exponential back-off, logging each attempt.
 */
public final class TmuxPool extends AbstractBehavior<TmuxPool.Command> {

  public sealed interface Command { }

  /**
   * Runs {@code commands} as one batch on one client; replies with one {@link Reply} per command.
   * {@code listener} hears each reply as soon as it arrives, on the client's thread (see
   * {@link TmuxClient.ReplyListener}).
   */
  public record Run(List<TmuxCommand> commands, TmuxClient.ReplyListener listener,
      ActorRef<StatusReply<List<Reply>>> replyTo) implements Command {

    public Run(List<TmuxCommand> commands, ActorRef<StatusReply<List<Reply>>> replyTo) {
      this(commands, TmuxClient.ReplyListener.NONE, replyTo);
    }
  }

  public record GetStats(ActorRef<PoolStats> replyTo) implements Command { }

  private record ClientOpened(TmuxClient client) implements Command { }

  private record ClientOpenFailed(Throwable cause) implements Command { }

  private record ClientClosed(TmuxClient client, String reason) implements Command { }

  private record BatchFinished(Slot slot, Run run, List<Reply> replies, Throwable failure) implements Command { }

  private record AcquireTimedOut(long waiterId) implements Command { }

  private record PingFinished(Slot slot, boolean ok) implements Command { }

  private enum Reconnect implements Command { INSTANCE }

  private enum HealthCheck implements Command { INSTANCE }

  private static final class Slot {
    final TmuxClient client;
    final long openedNanos = System.nanoTime();
    boolean leased;
    boolean used;

    Slot(TmuxClient client) {
      this.client = client;
    }
  }

  private record Waiter(long id, Run run) { }

  public static Behavior<Command> create(TmuxSettings tmux, PoolSettings settings, ClientFactory factory) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new TmuxPool(context, timers, tmux, settings, factory)));
  }

  /** The factory for the configured client type ({@code control} or {@code process}). */
  public static ClientFactory factoryFor(TmuxSettings tmux) {
    if (tmux.client() == ClientKind.PROCESS) {
      return (notifications, blocking) -> new ProcessClient(tmux.server(), blocking);
    }
    return (notifications, blocking) -> ControlClient.start(tmux.server(), tmux.hiddenSession().name(), notifications,
        tmux.commandTimeout());
  }

  private final TimerScheduler<Command> timers;
  private final PoolSettings settings;
  private final Duration commandTimeout;
  private final Duration backoffMin;
  private final Duration backoffMax;
  private final String serverName;
  private final ClientFactory factory;
  private final Executor blocking;
  private final Map<TmuxClient, Slot> slots = new LinkedHashMap<>();
  private final Set<TmuxClient> closing = new HashSet<>();
  private final Deque<Waiter> waiters = new ArrayDeque<>();
  private int opening;
  private long nextWaiterId;
  private String unavailableReason;
  private Duration backoff;
  private boolean reconnectScheduled;
  private int failedAttempts;
  private long created;
  private long reused;
  private long recycled;
  private long replaced;
  private long acquisitions;
  private long timeouts;
  private final Deque<Long> timeoutNanos = new ArrayDeque<>(); // of the last PoolStats.RECENT, bounded
  private long failedBatches;
  private int inFlight;

  private TmuxPool(ActorContext<Command> context, TimerScheduler<Command> timers, TmuxSettings tmux,
      PoolSettings settings, ClientFactory factory) {
    super(context);
    // Pekko cannot always infer the class of a behavior created in setup(); name the logger ourselves.
    context.setLoggerName(TmuxPool.class);
    this.timers = timers;
    this.settings = settings;
    this.commandTimeout = tmux.commandTimeout();
    this.backoffMin = tmux.backoffMin();
    this.backoffMax = tmux.backoffMax();
    this.backoff = backoffMin;
    this.serverName = tmux.server().describe();
    this.factory = factory;
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    timers.startTimerWithFixedDelay(HealthCheck.INSTANCE, this.settings.healthCheckInterval());
    ensureMinimum();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Run.class, this::onRun)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(ClientOpened.class, this::onClientOpened)
        .onMessage(ClientOpenFailed.class, this::onClientOpenFailed)
        .onMessage(ClientClosed.class, this::onClientClosed)
        .onMessage(BatchFinished.class, this::onBatchFinished)
        .onMessage(AcquireTimedOut.class, this::onAcquireTimedOut)
        .onMessage(PingFinished.class, this::onPingFinished)
        .onMessageEquals(Reconnect.INSTANCE, this::onReconnect)
        .onMessageEquals(HealthCheck.INSTANCE, this::onHealthCheck)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onRun(Run run) {
    if (unavailableReason != null) {
      run.replyTo().tell(StatusReply.error(new TmuxUnavailableException(unavailableReason + " (retrying)")));
      return this;
    }
    long id = nextWaiterId++;
    waiters.addLast(new Waiter(id, run));
    dispatch();
    if (waiters.stream().anyMatch(w -> w.id() == id)) {
      timers.startSingleTimer(new AcquireTimedOut(id), settings.connectionTimeout());
    }
    return this;
  }

  private Behavior<Command> onGetStats(GetStats get) {
    get.replyTo().tell(stats());
    return this;
  }

  private Behavior<Command> onClientOpened(ClientOpened opened) {
    opening--;
    created++;
    if (unavailableReason != null) {
      getContext().getLog().info("tmux on {} is reachable again after {} failed attempt(s)", serverName,
          failedAttempts);
    }
    unavailableReason = null;
    failedAttempts = 0;
    backoff = backoffMin;
    Slot slot = new Slot(opened.client());
    slots.put(opened.client(), slot);
    getContext().pipeToSelf(opened.client().whenClosed(),
        (reason, error) -> new ClientClosed(opened.client(), reason != null ? reason : String.valueOf(error)));
    dispatch();
    return this;
  }

  private Behavior<Command> onClientOpenFailed(ClientOpenFailed failed) {
    opening--;
    Throwable cause = unwrap(failed.cause());
    String reason = cause instanceof TmuxUnavailableException ? cause.getMessage() : cause.toString();
    failedAttempts++;
    if (unavailableReason == null || failedAttempts % 10 == 1 || backoff.compareTo(backoffMax) < 0) {
      getContext().getLog().warn("tmux unreachable: {}; retrying in {} ms (attempt {})", reason,
          backoff.toMillis(), failedAttempts);
    }
    unavailableReason = reason;
    while (!waiters.isEmpty()) {
      Waiter waiter = waiters.pollFirst();
      timers.cancel(new AcquireTimedOut(waiter.id()));
      failedBatches++;
      waiter.run().replyTo().tell(StatusReply.error(new TmuxUnavailableException(reason)));
    }
    if (!reconnectScheduled) {
      reconnectScheduled = true;
      timers.startSingleTimer(Reconnect.INSTANCE, backoff);
      backoff = backoff.multipliedBy(2).compareTo(backoffMax) > 0 ? backoffMax : backoff.multipliedBy(2);
    }
    return this;
  }

  private Behavior<Command> onReconnect() {
    reconnectScheduled = false;
    if (slots.isEmpty() && opening == 0) {
      open();
    }
    return this;
  }

  private Behavior<Command> onClientClosed(ClientClosed closed) {
    Slot slot = slots.remove(closed.client());
    boolean expected = closing.remove(closed.client());
    if (slot != null && !expected) {
      replaced++;
      getContext().getLog().warn("tmux client on {} died ({}); replacing it", serverName, closed.reason());
    }
    ensureMinimum();
    dispatch();
    return this;
  }

  private Behavior<Command> onBatchFinished(BatchFinished finished) {
    Slot slot = finished.slot();
    slot.leased = false;
    inFlight--;
    if (finished.failure() == null) {
      finished.run().replyTo().tell(StatusReply.success(finished.replies()));
    } else {
      failedBatches++;
      Throwable cause = unwrap(finished.failure());
      if (cause instanceof TimeoutException) {
        getContext().getLog().warn("tmux client on {} did not answer a batch of {} within {}; replacing it",
            serverName, finished.run().commands().size(), commandTimeout);
        retire(slot);
        cause = new TmuxUnavailableException("tmux did not answer within " + commandTimeout, cause);
      }
      finished.run().replyTo().tell(StatusReply.error(cause));
    }
    if (slots.containsKey(slot.client) && age(slot).compareTo(settings.maxAge()) > 0) {
      recycled++;
      retire(slot);
      ensureMinimum();
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onAcquireTimedOut(AcquireTimedOut timedOut) {
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      if (waiter.id() == timedOut.waiterId()) {
        it.remove();
        timeouts++;
        timeoutNanos.addLast(System.nanoTime());
        if (timeoutNanos.size() > 10_000) {
          timeoutNanos.removeFirst();
        }
        waiter.run().replyTo().tell(StatusReply.error(new TimeoutException(
            "no tmux client became free within " + settings.connectionTimeout() + " (pool max-size "
                + settings.maxSize() + ", " + inFlight + " batches in flight)")));
      }
    }
    return this;
  }

  private Behavior<Command> onHealthCheck() {
    for (Slot slot : List.copyOf(slots.values())) {
      if (slot.leased) {
        continue;
      }
      if (!slot.client.isAlive()) {
        retire(slot);
        continue;
      }
      slot.leased = true;
      CompletableFuture<List<Reply>> ping = slot.client
          .run(List.of(TmuxCommand.of("display-message", "-p", "ok")))
          .toCompletableFuture()
          .orTimeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
      getContext().pipeToSelf(ping, (replies, error) -> new PingFinished(slot, error == null));
    }
    ensureMinimum();
    return this;
  }

  private Behavior<Command> onPingFinished(PingFinished ping) {
    ping.slot().leased = false;
    if (!ping.ok() && slots.containsKey(ping.slot().client)) {
      getContext().getLog().warn("tmux client on {} failed its health check; replacing it", serverName);
      replaced++;
      retire(ping.slot());
      ensureMinimum();
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onPostStop() {
    for (Slot slot : slots.values()) {
      slot.client.close();
    }
    getContext().getLog().info("closed {} tmux client(s) on {}", slots.size(), serverName);
    slots.clear();
    while (!waiters.isEmpty()) {
      waiters.pollFirst().run().replyTo().tell(StatusReply.error("tmux pool stopped"));
    }
    return this;
  }

  /** Hands waiting batches to free clients, and opens clients for the rest while below max-size. */
  private void dispatch() {
    while (!waiters.isEmpty()) {
      Slot free = slots.values().stream().filter(s -> !s.leased && s.client.isAlive()).findFirst().orElse(null);
      if (free == null) {
        break;
      }
      Waiter waiter = waiters.pollFirst();
      timers.cancel(new AcquireTimedOut(waiter.id()));
      lease(free, waiter.run());
    }
    int wanted = Math.min(waiters.size() - opening, settings.maxSize() - slots.size() - opening);
    for (int i = 0; i < wanted && unavailableReason == null; i++) {
      open();
    }
  }

  private void lease(Slot slot, Run run) {
    slot.leased = true;
    acquisitions++;
    if (slot.used) {
      reused++;
    }
    slot.used = true;
    inFlight++;
    CompletableFuture<List<Reply>> replies = slot.client.run(run.commands(), run.listener()).toCompletableFuture()
        .orTimeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    getContext().pipeToSelf(replies, (ok, error) -> new BatchFinished(slot, run, ok, error));
  }

  private void ensureMinimum() {
    if (unavailableReason != null) {
      return; // the reconnect timer owns opening while tmux is unreachable
    }
    for (int i = slots.size() + opening; i < settings.minSize(); i++) {
      open();
    }
  }

  private void open() {
    opening++;
    // Batch replies are all the pool needs; notifications matter to the change watcher, which has its own client.
    CompletableFuture<TmuxClient> client = CompletableFuture.supplyAsync(
        () -> factory.open(notification -> { }, blocking), blocking);
    getContext().pipeToSelf(client, (ok, error) -> ok != null ? new ClientOpened(ok) : new ClientOpenFailed(error));
  }

  private void retire(Slot slot) {
    if (slots.remove(slot.client) != null) {
      closing.add(slot.client);
      CompletableFuture.runAsync(slot.client::close, blocking);
    }
  }

  private static Duration age(Slot slot) {
    return Duration.ofNanos(System.nanoTime() - slot.openedNanos);
  }

  private PoolStats stats() {
    int idle = (int) slots.values().stream().filter(s -> !s.leased).count();
    return new PoolStats(slots.size(), idle, waiters.size(), inFlight, created, reused, recycled, replaced,
        acquisitions, timeouts, failedBatches, unavailableReason == null,
        unavailableReason == null ? "" : unavailableReason, recentTimeouts());
  }

  private long recentTimeouts() {
    long since = System.nanoTime() - PoolStats.RECENT.toNanos();
    while (!timeoutNanos.isEmpty() && timeoutNanos.peekFirst() - since < 0) {
      timeoutNanos.removeFirst();
    }
    return timeoutNanos.size();
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
