package dev.tmuxorc.monitor;

import dev.tmuxorc.config.Settings;
import dev.tmuxorc.tmux.ClientFactory;
import dev.tmuxorc.tmux.Notification;
import dev.tmuxorc.tmux.Reply;
import dev.tmuxorc.tmux.TmuxClient;
import dev.tmuxorc.tmux.TmuxCommand;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Learns which panes changed without capturing them: its own control client holds a {@code refresh-client -B}
 * subscription over every pane's activity, history size, cursor and dead flag, which tmux evaluates once a
 * second and reports only when the value changed. Changed panes go to the monitor as
 * {@link Monitor.PanesChanged}; panes appearing, vanishing or dying, and session/window notifications, are
 * reported as structural so that discovery runs.
 *
 * <p>{@code window_activity} has a granularity of one second, so two screen changes within the same second
 * can look like one: each pane is reported once more {@link #TRAILING_DELAY} after its last change (a timer
 * per pane, restarted by every change), which captures its settled screen. When its client dies the watcher
 * fails, and its parent restarts it with back-off.
 */
public final class ChangeWatcher extends AbstractBehavior<ChangeWatcher.Command> {

  public sealed interface Command { }

  private record Connected(TmuxClient client) implements Command { }

  private record ConnectFailed(Throwable cause) implements Command { }

  private record Subscribed(List<Reply> replies, Throwable failure) implements Command { }

  private record Notified(Notification notification) implements Command { }

  private record ClientLost(String reason) implements Command { }

  private record Settled(String paneId) implements Command { }

  static final String SUBSCRIPTION = "tmux-orc-panes";
  static final Duration TRAILING_DELAY = Duration.ofMillis(1100);

  /**
   * The watcher's client failed or could not be opened; the parent's back-off decides when to try again. An
   * expected condition (tmux went away), so it carries no stack trace.
   */
  static final class WatchLost extends RuntimeException {
    WatchLost(String message) {
      super(message, null, false, false);
    }
  }

  public static Behavior<Command> create(Settings settings, ClientFactory clients,
      ActorRef<Monitor.Command> monitor) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new ChangeWatcher(context, timers, clients, monitor, settings.tmux().commandTimeout())));
  }

  private final TimerScheduler<Command> timers;
  private final ActorRef<Monitor.Command> monitor;
  private TmuxClient client;
  private PaneDigests last = PaneDigests.EMPTY;

  private ChangeWatcher(ActorContext<Command> context, TimerScheduler<Command> timers, ClientFactory clients,
      ActorRef<Monitor.Command> monitor, Duration timeout) {
    super(context);
    context.setLoggerName(ChangeWatcher.class);
    this.timers = timers;
    this.monitor = monitor;
    Executor blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    ActorRef<Command> self = context.getSelf();
    CompletableFuture<TmuxClient> opened = CompletableFuture.supplyAsync(
        () -> clients.open(notification -> self.tell(new Notified(notification)), blocking), blocking);
    context.pipeToSelf(opened, (ok, error) -> ok != null ? new Connected(ok) : new ConnectFailed(error));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectFailed.class, failed -> {
          throw new WatchLost("cannot open the change-watch client: " + Sweep.describe(failed.cause()));
        })
        .onMessage(Subscribed.class, this::onSubscribed)
        .onMessage(Notified.class, this::onNotified)
        .onMessage(ClientLost.class, lost -> {
          throw new WatchLost("change-watch client lost: " + lost.reason());
        })
        .onMessage(Settled.class, this::onSettled)
        .onSignal(PostStop.class, signal -> {
          if (client != null) {
            client.close();
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onConnected(Connected connected) {
    client = connected.client();
    getContext().pipeToSelf(client.whenClosed(), (reason, error) -> new ClientLost(String.valueOf(reason)));
    String subscription = SUBSCRIPTION + "::" + PaneDigests.FORMAT;
    getContext().pipeToSelf(client.run(List.of(TmuxCommand.of("refresh-client", "-B", subscription))),
        Subscribed::new);
    return this;
  }

  private Behavior<Command> onSubscribed(Subscribed subscribed) {
    if (subscribed.failure() != null || !subscribed.replies().get(0).ok()) {
      String reason = subscribed.failure() != null ? Sweep.describe(subscribed.failure())
          : subscribed.replies().get(0).text();
      throw new WatchLost("tmux refused the change-watch subscription: " + reason);
    }
    getContext().getLog().info("watching every pane for changes (format subscription, evaluated once a second)");
    // Whatever happened while we were not watching is unknown: have everything looked at.
    monitor.tell(new Monitor.PanesChanged(Set.of(), true));
    return this;
  }

  private Behavior<Command> onNotified(Notified notified) {
    Notification n = notified.notification();
    if (n instanceof Notification.SubscriptionChanged changed && changed.name().equals(SUBSCRIPTION)) {
      PaneDigests now = PaneDigests.parse(changed.value());
      PaneDigests.Diff diff = now.since(last);
      last = now;
      if (!diff.changed().isEmpty() || diff.structural()) {
        monitor.tell(new Monitor.PanesChanged(diff.changed(), diff.structural()));
        for (String pane : diff.changed()) {
          timers.startSingleTimer("settled " + pane, new Settled(pane), TRAILING_DELAY);
        }
      }
    } else if (n instanceof Notification.SessionsChanged || n instanceof Notification.WindowAdd
        || n instanceof Notification.WindowClose || n instanceof Notification.LayoutChange) {
      monitor.tell(new Monitor.PanesChanged(Set.of(), true));
    }
    return this;
  }

  private Behavior<Command> onSettled(Settled settled) {
    if (last.digests().containsKey(settled.paneId())) {
      monitor.tell(new Monitor.PanesChanged(Set.of(settled.paneId()), false));
    }
    return this;
  }
}
