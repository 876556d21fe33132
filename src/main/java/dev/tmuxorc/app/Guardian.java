package dev.tmuxorc.app;

import dev.tmuxorc.actions.ActionGate;
import dev.tmuxorc.actions.ActionSettings;
import dev.tmuxorc.actions.AutoSubmitter;
import dev.tmuxorc.actions.Notifier;
import dev.tmuxorc.actions.OutboxStore;
import dev.tmuxorc.actions.PaneTyper;
import dev.tmuxorc.actions.People;
import dev.tmuxorc.actions.RateLimitResumer;
import dev.tmuxorc.actions.Recovery;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.cache.CacheLayer;
import dev.tmuxorc.cache.Caches;
import dev.tmuxorc.cache.PaneCache;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.Version;
import dev.tmuxorc.detect.Classifier;
import dev.tmuxorc.detect.ScreenClassifier;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.fleet.AgentFilter;
import dev.tmuxorc.fleet.FleetSummary;
import dev.tmuxorc.fleet.AgentFilter;
import dev.tmuxorc.fleet.AgentListing;
import dev.tmuxorc.fleet.FleetView;
import dev.tmuxorc.http.ApiRoutes;
import dev.tmuxorc.http.HttpServer;
import dev.tmuxorc.http.HttpSettings;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.journal.JournalCounters;
import dev.tmuxorc.journal.JournalSettings;
import dev.tmuxorc.journal.JournalStats;
import dev.tmuxorc.metrics.Metrics;
import dev.tmuxorc.metrics.MetricsListener;
import dev.tmuxorc.metrics.MetricsSampler;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.monitor.Readiness;
import dev.tmuxorc.tmux.ClientFactory;
import dev.tmuxorc.tmux.TmuxPool;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root of the actor tree, wiring only: spawns each part and hands it the others it talks to. Each capability
 * is one child here. Once every child has stopped, it removes this process's hidden tmux session.
 */
public final class Guardian {

  public sealed interface Command { }

  /** The parts that answer queries, for the HTTP API and tests. */
  public record GetParts(ActorRef<Parts> replyTo) implements Command { }

  /**
   * {@code typer}: how text reaches a pane, for the actions and the API's messages; {@code actions}: their
   * settings (dry-run); {@code notifier}: the PM reports' actor when they are on (reports are acknowledged to it).
   */
  public record Parts(ActorRef<TmuxPool.Command> pool, ActorRef<Monitor.Command> monitor,
      ActorRef<FleetView.Command> fleet, AgentListing listing, ActorRef<PaneCache.Command> cache,
      Readiness readiness, Metrics metrics, ActionGate gate, PaneTyper typer, ActionSettings actions,
      Optional<ActorRef<Notifier.Command>> notifier) {

    Parts withNotifier(Optional<ActorRef<Notifier.Command>> chosen) {
      return new Parts(pool, monitor, fleet, listing, cache, readiness, metrics, gate, typer, actions, chosen);
    }
  }


  private Guardian() {
  }

  /**
   * What the tree is built with besides the settings. {@code periodic}: cycles run on a timer (the monitor);
   * without it they run only when asked (the benchmark, tests). {@code apiUrl} completes with the HTTP API's
   * URL once it is bound (or fails when it cannot be).
   */
  public record Wiring(ClientFactory clients, ScreenClassifier classifier, Clock clock, boolean periodic,
      Surfaces surfaces, ActionSettings actions, CompletableFuture<String> apiUrl) {

    /** The monitor as it runs for users: periodic, with no surfaces until {@link #withSurfaces} adds them. */
    public static Wiring of(Settings settings) {
      return new Wiring(TmuxPool.factoryFor(settings.tmux()), Classifier.fromConfig(settings.detection()),
          Clock.systemUTC(), true, Surfaces.NONE, ActionSettings.defaults(), new CompletableFuture<>());
    }

    public Wiring withClassifier(ScreenClassifier other) {
      return new Wiring(clients, other, clock, periodic, surfaces, actions, apiUrl);
    }

    public Wiring withPeriodic(boolean on) {
      return new Wiring(clients, classifier, clock, on, surfaces, actions, apiUrl);
    }

    public Wiring withSurfaces(Surfaces chosen) {
      return new Wiring(clients, classifier, clock, periodic, chosen, actions, apiUrl);
    }

    /** The actions taken (tmux-orc.actions): all off unless given. */
    public Wiring withActions(ActionSettings chosen) {
      return new Wiring(clients, classifier, clock, periodic, surfaces, chosen, apiUrl);
    }
  }

  /** The subscribers have subscribed (or did not answer in time): the monitor may start publishing. */
  private record Subscribed(Throwable failure) implements Command { }

  public static Behavior<Command> create(Settings settings, Wiring wiring) {
    return Behaviors.setup(context -> Behaviors.withStash(100, stash -> {
      Clock clock = wiring.clock();
      Caches caches = new Caches(settings);
      Metrics metrics = new Metrics(Version.current(), settings.monitoring().strategy().wireName());
      ActorRef<MetricsListener.Command> listener = context.spawn(MetricsListener.create(metrics), "metrics-listener");
      ActorRef<Journal.Command> journal = null;
      JournalCounters journalCounters = null;
      Path journalFile = null;
      if (wiring.surfaces().journal().isPresent()) {
        JournalSettings journalSettings = wiring.surfaces().journal().get();
        journalCounters = new JournalCounters();
        journalFile = journalSettings.file(BaseDir.current());
        journal = context.spawn(Journal.create(journalSettings, journalFile, journalCounters), "journal");
      }
      ActorRef<TmuxPool.Command> pool = context.spawn(Behaviors.supervise(TmuxPool.create(settings.tmux(),
          settings.monitoring().pool(), wiring.clients())).onFailure(SupervisorStrategy.restart()), "tmux-pool");
      context.spawn(MetricsSampler.create(metrics, pool, caches, journalCounters), "metrics-sampler");
      ActorRef<PaneCache.Command> cache = context.spawn(PaneCache.create(caches), "cache");
      AgentListing listing = new AgentListing();
      ActorRef<FleetView.Command> fleet = context.spawn(Behaviors.supervise(FleetView.create(caches, clock, listing))
          .onFailure(SupervisorStrategy.restart()), "fleet-view");
      // Each subscriber subscribes in its setup, which runs some time after its spawn: the monitor, which
      // publishes, starts cycling only once each has answered a message (so its setup has run, and its Subscribe
      // went to the event stream before anything the monitor will publish). Else the first discoveries could be
      // missed. The rest of the tree, the HTTP API's routes and bind above all, is built meanwhile.
      Duration patience = settings.askTimeout();
      var scheduler = context.getSystem().scheduler();
      List<CompletableFuture<?>> answers = new ArrayList<>(List.of(
          AskPattern.<MetricsListener.Command, Done>ask(listener, MetricsListener.Subscribed::new, patience,
              scheduler).toCompletableFuture(),
          AskPattern.<FleetView.Command, FleetSummary>ask(fleet, FleetView.GetSummary::new, patience, scheduler)
              .toCompletableFuture()));
      if (journal != null) {
        answers.add(AskPattern.<Journal.Command, JournalStats>ask(journal, Journal.GetStats::new, patience,
            scheduler).toCompletableFuture());
      }
      CompletableFuture<Void> subscribed = CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new));
      context.pipeToSelf(subscribed, (ok, failure) -> new Subscribed(failure));
      Parts parts = start(context, settings, wiring, caches, metrics, pool, cache, fleet, listing, journal,
          journalCounters, journalFile, subscribed);
      return Behaviors.receive(Command.class)
          .onMessage(Subscribed.class, answered -> {
            if (answered.failure() != null) {
              context.getLog().warn("a subscriber did not answer in time ({}); starting the monitor anyway",
                  answered.failure().getMessage());
            }
            return stash.unstashAll(running(settings, parts));
          })
          .onMessage(Command.class, message -> {
            stash.stash(message); // GetParts waits for the subscribers, as the monitor does
            return Behaviors.same();
          })
          .onSignal(PostStop.class, signal -> {
            settings.tmux().removeHiddenSession();
            return Behaviors.same();
          })
          .build();
    }));
  }

  // The second half of the wiring: the monitor, and the HTTP API over the whole tree.
  private static Parts start(ActorContext<Command> context, Settings settings, Wiring wiring, Caches caches,
      Metrics metrics, ActorRef<TmuxPool.Command> pool, ActorRef<PaneCache.Command> cache,
      ActorRef<FleetView.Command> fleet, AgentListing listing, ActorRef<Journal.Command> journal,
      JournalCounters journalCounters, Path journalFile, CompletableFuture<?> subscribed) {
    Clock clock = wiring.clock();
    Readiness readiness = new Readiness();
    // The HTTP API binds first, then the monitor starts cycling: building the routes and binding cost the cold JVM
    // a second of CPU, and with a thousand agents discovered, spawned and classified beside it on two cores the
    // API came up seconds later, and /health/ready with it (docs/benchmarks.md, run 6). Bound or not (the
    // foreground command stops when it cannot bind), the monitor starts; and only once the subscribers have
    // answered (or did not in time).
    CompletableFuture<Void> apiSettled = new CompletableFuture<>();
    CompletableFuture<Void> startAfter = CompletableFuture.allOf(subscribed.handle((ok, failure) -> null),
        apiSettled);
    // Without screen reuse the pane_content layer is never built: /api/status and health then show none.
    ActorRef<Monitor.Command> monitor = context.spawn(Monitor.create(settings, new Monitor.Parts(pool,
        wiring.clients(), wiring.classifier(),
        settings.monitoring().screenReuse().enabled() ? caches.layer(CacheLayer.PANE_CONTENT) : null,
        listed -> fleet.tell(new FleetView.Listed(listed)), readiness, metrics, clock), wiring.periodic(),
        startAfter), "monitor");
    // The typer exists with every action off too: the API's messages (tmux-orc mcp's send_message) use it.
    PaneTyper.Tmux tmux = PaneTyper.Tmux.overPool(pool, context.getSystem(), settings.tmux().commandTimeout());
    PaneTyper typer = new PaneTyper(tmux, Classifier.fromConfig(settings.detection()), wiring.actions().typing());
    Parts parts = new Parts(pool, monitor, fleet, listing, cache, readiness, metrics, new ActionGate(clock), typer,
        wiring.actions(), Optional.empty());
    parts = parts.withNotifier(startActions(context, settings, wiring, parts, tmux, journal, journalFile));
    if (wiring.surfaces().http().isPresent()) {
      HttpSettings http = wiring.surfaces().http().get();
      if (journal == null) {
        // the journal is what numbers the entries /api/events streams
        context.getLog().warn("tmux-orc.journal.enabled = false: /api/events will stream nothing");
      }
      TreeApi api = new TreeApi(context.getSystem(), parts, settings, journal, journalCounters, journalFile, clock);
      HttpServer.start(context.getSystem(), http, new ApiRoutes(context.getSystem(), api, http,
              new MetricsObserver(metrics)).route())
          .whenComplete((binding, failure) -> apiSettled.complete(null))
          .thenAccept(binding -> wiring.apiUrl().complete(url(binding.localAddress())))
          .exceptionally(failure -> {
            wiring.apiUrl().completeExceptionally(failure);
            return null;
          });
    } else {
      apiSettled.complete(null);
      wiring.apiUrl().completeExceptionally(new IllegalStateException("the HTTP API is turned off"));
    }
    return parts;
  }

  // The actions configured (none by default), each one actor on the blocking dispatcher (JDBC, waits on tmux);
  // returns the notifier when PM reports are on.
  private static Optional<ActorRef<Notifier.Command>> startActions(ActorContext<Command> context, Settings settings,
      Wiring wiring, Parts parts, PaneTyper.Tmux tmux, ActorRef<Journal.Command> journal, Path journalFile) {
    ActionSettings actions = wiring.actions();
    if (!actions.pmReports().enabled() && !actions.autoSubmit().enabled() && !actions.rateLimit().resume()
        && !actions.recovery().enabled()) {
      return Optional.empty();
    }
    Duration patience = settings.askTimeout();
    var scheduler = context.getSystem().scheduler();
    PaneTyper typer = parts.typer();
    // what the fleet knows: the actions start after the monitor, and may have missed the first events
    java.util.function.Supplier<CompletionStage<List<AgentStatus>>> fleet = () -> AskPattern.<FleetView.Command,
        List<AgentStatus>>ask(parts.fleet(), replyTo -> new FleetView.GetAgents(AgentFilter.ALL, replyTo), patience,
        scheduler);
    Function<PaneId, CompletionStage<Optional<String>>> screens = pane -> AskPattern.<Monitor.Command,
        Optional<String>>ask(parts.monitor(), replyTo -> new Monitor.GetScreen(pane, replyTo), patience, scheduler);
    if (actions.autoSubmit().enabled()) {
      context.spawn(Behaviors.supervise(AutoSubmitter.create(new AutoSubmitter.Parts(actions, typer, parts.gate(),
          screens, Optional.ofNullable(journal), parts.metrics(), wiring.clock()))).onFailure(SupervisorStrategy.restart()),
          "auto-submit", DispatcherSelector.blocking());
    }
    if (actions.recovery().enabled()) {
      context.spawn(Behaviors.supervise(Recovery.create(new Recovery.Parts(actions, tmux, typer, parts.gate(), fleet,
          Optional.ofNullable(journal), parts.metrics(), wiring.clock())))
          .onFailure(SupervisorStrategy.restart()), "recovery", DispatcherSelector.blocking());
    }
    if (actions.rateLimit().resume()) {
      context.spawn(Behaviors.supervise(RateLimitResumer.create(new RateLimitResumer.Parts(actions, typer,
          parts.gate(), fleet, Optional.ofNullable(journal), parts.metrics(), wiring.clock())))
          .onFailure(SupervisorStrategy.restart()), "rate-limit-resumer", DispatcherSelector.blocking());
    }
    if (!actions.pmReports().enabled()) {
      return Optional.empty();
    }
    // PM reports: their outbox lives in the journal's file (in memory only without a journal).
    OutboxStore outbox;
    try {
      if (journalFile == null) {
        context.getLog().warn("tmux-orc.journal.enabled = false: the PM reports' outbox is kept in memory only "
            + "(a restart loses what waits, and may repeat a report cut off mid-delivery)");
        outbox = OutboxStore.inMemory();
      } else {
        outbox = OutboxStore.open(journalFile);
      }
    } catch (java.sql.SQLException e) {
      context.getLog().error("PM reports are off: the outbox cannot be opened ({})", e.getMessage());
      return Optional.empty();
    }
    ActionSettings.People channels = actions.people();
    Optional<ActorRef<People.Command>> people = channels.webhooks().isEmpty() && channels.command().isBlank()
        && !channels.desktop() ? Optional.empty() : Optional.of(context.spawn(Behaviors.supervise(People.create(
            new People.Parts(actions, parts.gate(), Optional.ofNullable(journal), parts.metrics(),
                wiring.clock()))).onFailure(SupervisorStrategy.restart()), "people"));
    return Optional.of(context.spawn(Behaviors.supervise(Notifier.create(new Notifier.Parts(actions, outbox, typer,
        tmux, parts.gate(), screens, fleet, Optional.ofNullable(journal), people, parts.metrics(), wiring.clock())))
        .onFailure(SupervisorStrategy.restart()), "notifier", DispatcherSelector.blocking()));
  }

  private static Behavior<Command> running(Settings settings, Parts parts) {
    return Behaviors.receive(Command.class)
        .onMessage(GetParts.class, get -> {
          get.replyTo().tell(parts);
          return Behaviors.same();
        })
        .onMessage(Subscribed.class, ignored -> Behaviors.same())
        // Children have stopped (the pool closed its clients): our hidden session can go.
        .onSignal(PostStop.class, signal -> {
          settings.tmux().removeHiddenSession();
          return Behaviors.same();
        })
        .build();
  }

  private static String url(InetSocketAddress bound) {
    String host = bound.getAddress() instanceof Inet6Address ? "[" + bound.getHostString() + "]"
        : bound.getHostString();
    return "http://" + host + ":" + bound.getPort();
  }
}
