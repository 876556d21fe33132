package dev.tmuxorc.monitor;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tmuxorc.agent.Agent;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStateMachine;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.Capture;
import dev.tmuxorc.agent.Explanation;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.agent.HookRules;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.Strategy;
import dev.tmuxorc.detect.ScreenClassifier;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.AgentMatcher;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Discovery;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.tmux.ClientFactory;
import dev.tmuxorc.tmux.ClientKind;
import dev.tmuxorc.tmux.HiddenSession;
import dev.tmuxorc.tmux.PoolSettings;
import dev.tmuxorc.tmux.Reply;
import dev.tmuxorc.tmux.TmuxCommand;
import dev.tmuxorc.tmux.TmuxPool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.Materializer;
import org.slf4j.event.Level;

/**
 * The cycle: discovery, the agent registry (one {@link Agent} child per discovered agent) and screen reuse.
 * Each cycle discovers, spawns children for new agents and stops those whose pane is gone, then sweeps the
 * captures to the children. A failing child is restarted with back-off and never affects its siblings. Every
 * listing goes to {@code listings} (the FleetView) so that queries never ask the agents.
 */
public final class Monitor extends AbstractBehavior<Monitor.Command> {

  public sealed interface Command { }

  /** Runs one cycle now (the timer sends it too); ignored while a cycle runs. */
  public enum RunCycle implements Command { INSTANCE }

  private enum Report implements Command { INSTANCE }

  /** The periodic cycles may start (see {@link #create(Settings, Parts, boolean, CompletionStage)}). */
  private enum Start implements Command { INSTANCE }

  /**
   * A hook event from an agent, for the agent in {@code pane}; without a pane, the agent whose session the event
   * names, or whose pane runs one of {@code pids} (the hook process's ancestors, nearest first).
   */
  public record Hooked(HookEvent event, Optional<PaneId> pane, List<Integer> pids) implements Command { }

  /**
   * Panes whose screens changed (from the {@link ChangeWatcher}); {@code structural} when panes appeared,
   * vanished or died, which needs a discovery first.
   */
  public record PanesChanged(Set<String> paneIds, boolean structural) implements Command { }

  /**
   * Runs one cycle now and replies with its duration once every agent actor has also processed its capture
   * (classification and state machine included), for the benchmark. Fails if a cycle is already running.
   */
  public record MeasureCycle(ActorRef<StatusReply<Duration>> replyTo) implements Command { }

  public record GetCycleStats(ActorRef<CycleStats> replyTo) implements Command { }

  /** The last screen the pane's agent classified; empty when no agent watches that pane. */
  public record GetScreen(PaneId pane, ActorRef<Optional<String>> replyTo) implements Command { }

  /** Why the agent of a pane is in its state (empty: no such agent). */
  public record Explain(PaneId pane, ActorRef<Optional<Explanation>> replyTo) implements Command { }

  /** What a full cycle's discovery found: every agent, and every pane (for sessions and windows). */
  public record Listing(List<AgentPane> agents, List<Pane> panes, Instant at) { }

  /** The reply to a full cycle's list-panes (or its failure). */
  private record Listed(Cycle cycle, Reply reply, Throwable failure) implements Command { }

  private record SweepFinished(Cycle cycle, Throwable failure) implements Command { }

  private record Measured(Duration took, Throwable failure, ActorRef<StatusReply<Duration>> replyTo)
      implements Command { }

  /** An agent's actor stopped: by the monitor (its pane is gone), or for good after failures. */
  private record AgentStopped(AgentId agent) implements Command { }

  /**
   * The cycle in flight: a full one (list-panes and the known agents' captures in one batch, then captures of
   * agents discovered by it) or a partial one (changed panes only). It ends when every part is done. Only
   * the monitor touches its fields; {@code targets} (the agents to deliver captures to, once reconciled)
   * is completed by the monitor and read by the threads that deliver captures.
   */
  private static final class Cycle {
    final long startNanos = System.nanoTime();
    final CycleObserver.CycleKind kind;
    final CompletableFuture<Map<AgentId, Target>> targets = new CompletableFuture<>();
    // The agents whose capture leads this cycle's batch; the others may reuse their last screen.
    Set<AgentId> capturing = Set.of();
    int outstanding;
    boolean ok = true;
    long discoveryNanos;
    long sweepNanos;

    Cycle(CycleObserver.CycleKind kind) {
      this.kind = kind;
    }
  }

  /** Where a capture goes: the agent's actor, and its pane as the listing before the capture saw it. */
  private record Target(ActorRef<Agent.Command> agent, AgentPane listed) { }

  /** The cycle-report lines, routed to performance.log when running as a daemon. */
  private static final org.slf4j.Logger PERFORMANCE = org.slf4j.LoggerFactory.getLogger("tmux-orc.performance");

  /** Unparseable list-panes lines are warned about once each; at most this many are remembered. */
  static final int MAX_REMEMBERED_REJECTS = 1000;

  /** Restart a lost change watcher after 1 s, doubling up to 30 s (tmux may be down for a while). */
  static final SupervisorStrategy WATCHER_RESTART =
      SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)
          .withLogLevel(Level.WARN);

  /** Restart a failing agent after 200 ms, doubling up to 10 s, with 20% jitter. */
  static final SupervisorStrategy AGENT_RESTART =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2);

  /**
   * What the monitor works with besides its settings; {@code screens} is the pane_content layer (null when screen
   * reuse is off).
   */
  public record Parts(ActorRef<TmuxPool.Command> pool, ClientFactory clients, ScreenClassifier classifier,
      Cache<AgentId, ScreenCache.Entry> screens, Consumer<Listing> listings, Readiness readiness, CycleObserver metrics,
      Clock clock) { }

  /**
   * @param periodic run cycles on a timer ({@code monitor}); false when driven by messages alone (benchmark)
   */
  public static Behavior<Command> create(Settings settings, Parts parts, boolean periodic) {
    return create(settings, parts, periodic, CompletableFuture.completedFuture(null));
  }

  /**
   * As {@link #create(Settings, Parts, boolean)}, with the periodic cycles (and the change watcher) starting only
   * once {@code startAfter} has completed, whether it succeeded or failed: the Guardian lets the HTTP API bind
   * first, so that a big fleet's first discovery and captures do not compete with it (docs/benchmarks.md, run 6).
   * Messages (a {@link MeasureCycle}, a hook) are handled meanwhile as always.
   */
  public static Behavior<Command> create(Settings settings, Parts parts, boolean periodic,
      CompletionStage<?> startAfter) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Monitor(context, timers, settings, parts, periodic, startAfter)));
  }

  private final Settings settings;
  private final ScreenClassifier classifier;
  private final AgentStateMachine.Rules rules;
  private final Clock clock;
  private final ActorRef<TmuxPool.Command> pool;
  private final Consumer<Listing> listings;
  private final Readiness readiness;
  private final CycleObserver metrics;
  private final Discovery discovery;
  private final Sweep sweep;
  private final ScreenCache screens; // null when screen reuse is off
  // The screen cache compares our times with tmux's window_activity, which tmux takes from the wall clock:
  // its times come from the wall clock too, whatever clock the rest of the monitor is given.
  private final Clock wallClock = Clock.systemUTC();
  private final Duration askTimeout;
  private final TimerScheduler<Command> timers;
  private final ClientFactory clients;
  private final Map<AgentId, ActorRef<Agent.Command>> agents = new HashMap<>();
  private final Map<AgentId, AgentPane> panes = new HashMap<>();
  private long spawned;
  private Cycle cycle;
  private ActorRef<StatusReply<Duration>> measuring;
  private final Set<String> pendingPanes = new HashSet<>();
  private boolean pendingStructural;
  private final Set<String> orphansRemoved = new HashSet<>();
  private final Set<String> rejectedLines = new HashSet<>();
  private final CycleCounters counters = new CycleCounters();
  private final HookRouting hookRouting;
  private final HookRules hookRules;
  /** New agents in one discovery beyond which they are logged as one summary line. */
  static final int BULK_DISCOVERY = 20;
  // The only state the delivering threads touch besides the (thread-safe) screen cache and the agents' refs.
  private final CaptureCounts captures = counters.captures();

  private Monitor(ActorContext<Command> context, TimerScheduler<Command> timers, Settings settings, Parts parts,
      boolean periodic, CompletionStage<?> startAfter) {
    super(context);
    // Pekko cannot always infer the class of a behavior created in setup(); name the logger ourselves.
    context.setLoggerName(Monitor.class);
    this.settings = settings;
    this.classifier = parts.classifier();
    this.rules = AgentStateMachine.Rules.of(settings.monitoring());
    this.hookRules = HookRules.of(settings.hooks());
    this.clock = parts.clock();
    this.pool = parts.pool();
    this.listings = parts.listings();
    this.readiness = parts.readiness();
    this.metrics = parts.metrics();
    this.hookRouting = new HookRouting(parts.clock(), metrics);
    PoolSettings poolSettings = settings.monitoring().pool();
    this.askTimeout = captureTimeout(settings);
    this.discovery = new Discovery(new AgentMatcher(settings.discovery(), settings.tmux().hiddenSessionPrefix()),
        settings.discovery().roleOption());
    boolean sequential = settings.monitoring().strategy() == Strategy.POLLING;
    // The capture stream runs as long as this monitor: its materializer is bound to this actor.
    this.sweep = new Sweep(pool, context.getSystem(), Materializer.createMaterializer(context),
        sequential ? 1 : settings.monitoring().captureBatchSize(),
        sequential ? 1 : poolSettings.maxSize(), askTimeout, clock);
    Settings.ScreenReuse reuse = settings.monitoring().screenReuse();
    this.screens = reuse.enabled() ? new ScreenCache(reuse.maxAge(), parts.screens()) : null;
    this.timers = timers;
    this.clients = parts.clients();
    if (periodic) {
      if (startAfter.toCompletableFuture().isDone()) {
        startPeriodic();
      } else {
        context.pipeToSelf(startAfter, (ok, failure) -> Start.INSTANCE);
      }
    }
  }

  /** The change watcher (event strategy) and the timers of the cycles and reports; the first cycle runs now. */
  private void startPeriodic() {
    ActorContext<Command> context = getContext();
    boolean eventDriven = settings.monitoring().strategy() == Strategy.EVENT;
    if (eventDriven && settings.tmux().client() == ClientKind.PROCESS) {
      context.getLog().warn("the event strategy needs tmux control mode (tmux-orc.tmux.client = control); "
          + "sweeping every {} instead", settings.monitoring().pollInterval());
      eventDriven = false;
    }
    if (eventDriven) {
      context.spawn(Behaviors.supervise(ChangeWatcher.create(settings, clients, context.getSelf()))
          .onFailure(WATCHER_RESTART), "change-watcher");
    }
    Duration sweepEvery = eventDriven ? settings.monitoring().checkInterval() : settings.monitoring().pollInterval();
    timers.startTimerWithFixedDelay(RunCycle.INSTANCE, Duration.ZERO, sweepEvery);
    timers.startTimerWithFixedDelay(Report.INSTANCE, settings.monitoring().reportInterval());
  }

  /** How long a batch of captures may take: waiting for a client, then the batch itself. */
  public static Duration captureTimeout(Settings settings) {
    return settings.monitoring().pool().connectionTimeout().plus(settings.tmux().commandTimeout()).plusSeconds(1);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(RunCycle.INSTANCE, this::onRunCycle)
        .onMessage(MeasureCycle.class, this::onMeasureCycle)
        .onMessage(PanesChanged.class, this::onPanesChanged)
        .onMessageEquals(Report.INSTANCE, this::onReport)
        .onMessageEquals(Start.INSTANCE, () -> {
          startPeriodic();
          return this;
        })
        .onMessage(Measured.class, this::onMeasured)
        .onMessage(Listed.class, this::onListed)
        .onMessage(SweepFinished.class, this::onSweepFinished)
        .onMessage(GetCycleStats.class, this::onGetCycleStats)
        .onMessage(GetScreen.class, this::onGetScreen)
        .onMessage(Explain.class, this::onExplain)
        .onMessage(AgentStopped.class, this::onAgentStopped)
        .onMessage(Hooked.class, this::onHooked)
        .build();
  }

  private Behavior<Command> onRunCycle() {
    if (cycle != null) {
      counters.skipped();
      metrics.cycleSkipped();
      return this;
    }
    pendingStructural = false;
    Cycle full = startCycle(CycleObserver.CycleKind.FULL, 2); // discovery + the known agents' captures
    Instant sentBefore = wallClock.instant();
    // Agents whose last screen is still current as far as the previous listing knows, and whose window has
    // been quiet for a while, are left out of the batch; this cycle's listing decides, and captures them in a
    // follow-up if their window moved.
    List<AgentPane> known = panes.values().stream()
        .filter(a -> !a.pane().dead() && (screens == null || screens.worthCapturing(a, sentBefore)))
        .toList();
    if (screens != null) {
      full.capturing = known.stream().map(AgentPane::key).collect(Collectors.toSet());
    }
    Sweep.Led led = sweep.runLedBy(discovery.command(), known,
        capture -> deliverOnceReconciled(full, sentBefore, capture));
    getContext().pipeToSelf(led.lead(), (reply, failure) -> new Listed(full, reply, failure));
    getContext().pipeToSelf(led.captures(), (count, failure) -> new SweepFinished(full, failure));
    return this;
  }

  private Cycle startCycle(CycleObserver.CycleKind kind, int parts) {
    cycle = new Cycle(kind);
    cycle.outstanding = parts;
    return cycle;
  }

  /**
   * Runs on the threads that receive replies: a capture reaches its agent only after the cycle's discovery
   * was reconciled, so that agents classify with fresh pane facts and panes that are gone are dropped.
   * {@code sentBefore} is a time before the capture was written, for the screen cache.
   */
  private void deliverOnceReconciled(Cycle of, Instant sentBefore, Capture capture) {
    boolean failed = capture instanceof Capture.Failed;
    captures.delivered(failed);
    if (failed) {
      metrics.captureFailed();
    } else {
      metrics.captureSucceeded();
    }
    of.targets.thenAccept(targets -> {
      Target target = targets.get(capture.agent().key());
      if (target == null) {
        return;
      }
      if (screens != null) {
        if (capture instanceof Capture.Screen screen) {
          screens.remember(target.listed(), screen.text(), sentBefore);
        } else {
          screens.forget(capture.agent().key());
        }
      }
      target.agent().tell(new Agent.Observe(capture));
    });
  }

  private Map<AgentId, Target> targets() {
    Map<AgentId, Target> targets = new HashMap<>(agents.size() * 2);
    agents.forEach((key, agent) -> targets.put(key, new Target(agent, panes.get(key))));
    return targets;
  }

  private Behavior<Command> onMeasureCycle(MeasureCycle measure) {
    if (cycle != null) {
      measure.replyTo().tell(StatusReply.error("a cycle is already running"));
      return this;
    }
    measuring = measure.replyTo();
    return onRunCycle();
  }

  private Behavior<Command> onReport() {
    CycleReport report = counters.report(clock.instant(), settings.monitoring().strategy().wireName(),
        agents.size());
    PERFORMANCE.info("{} agents, {} cycles: p50 {} ms, p95 {} ms, max {} ms (discovery p50 {} ms, "
            + "sweep p50 {} ms), {} captures, {} failed, {} screens reused", report.agents(), report.cycles(),
        report.p50Ms(), report.p95Ms(), report.maxMs(), report.discoveryP50Ms(), report.sweepP50Ms(),
        report.captures(), report.captureFailures(), report.reused());
    getContext().getSystem().eventStream().tell(new EventStream.Publish<>(report));
    return this;
  }

  private Behavior<Command> onMeasured(Measured measured) {
    if (measured.failure() != null) {
      measured.replyTo().tell(StatusReply.error(measured.failure()));
    } else {
      measured.replyTo().tell(StatusReply.success(measured.took()));
    }
    return this;
  }

  private Behavior<Command> onListed(Listed listed) {
    Cycle full = listed.cycle();
    full.discoveryNanos = System.nanoTime() - full.startNanos;
    Throwable failure = listed.failure();
    Discovery.Result result = null;
    if (failure == null) {
      try {
        result = discovery.interpret(listed.reply());
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (failure != null) {
      // The pool already says that tmux is unreachable and retries; agents learn it from their failed captures.
      getContext().getLog().debug("discovery failed: {}", Sweep.describe(failure));
      readiness.failed(Sweep.describe(failure));
      full.ok = false;
      full.targets.complete(targets());
      if (screens != null) {
        // Nothing proves the screens left out of the batch current: capture them (they will fail too while
        // tmux is down, which is how their agents learn it).
        List<AgentPane> left = panes.values().stream()
            .filter(a -> !a.pane().dead() && !full.capturing.contains(a.key())).toList();
        if (!left.isEmpty()) {
          full.outstanding++;
          sweepAgents(full, left);
        }
      }
    } else {
      for (String line : result.rejected()) {
        if (rejectedLines.size() >= MAX_REMEMBERED_REJECTS) {
          rejectedLines.clear(); // bounded: names change, and a long-running monitor must not grow
        }
        if (rejectedLines.add(line)) {
          getContext().getLog().warn("ignoring a list-panes line that does not parse: {}", line);
        }
      }
      removeOrphanedHiddenSessions(result.panes());
      // The listing and readiness come before the agents' actors: the FleetView lists every agent from the
      // listing alone (the agents' events reach it through the event stream, a hop later, whichever is sent
      // first), and spawning the actors of a big fleet's first discovery (1,000 of them: 0.5-2 s of a busy
      // 2-core machine) is no part of "discovered". Anything asked of this monitor after that waits for it.
      String hidden = settings.tmux().hiddenSessionPrefix();
      listings.accept(new Listing(result.agents(),
          result.panes().stream().filter(p -> !p.sessionName().startsWith(hidden)).toList(), clock.instant()));
      readiness.discovered();
      List<AgentPane> added = reconcile(result.agents());
      hookRouting.retry(panes.values(), this::deliverHook);
      full.targets.complete(targets());
      List<AgentPane> toCapture = new ArrayList<>(added.stream().filter(a -> !a.pane().dead()).toList());
      if (screens != null) {
        toCapture.addAll(reuseUnchangedScreens(full, result.agents(), added));
      }
      if (!toCapture.isEmpty()) {
        full.outstanding++; // agents new to this cycle, or whose window moved, were not in its batch
        sweepAgents(full, toCapture);
      }
    }
    partDone(full);
    return this;
  }

  /**
   * Hands the agents left out of the cycle's batch their last screen where this listing proves it unchanged;
   * returns those it does not, to be captured.
   */
  private List<AgentPane> reuseUnchangedScreens(Cycle full, List<AgentPane> listed, List<AgentPane> added) {
    screens.retain(agents.keySet());
    Instant now = wallClock.instant();
    Set<AgentId> fresh = added.stream().map(AgentPane::key).collect(Collectors.toSet());
    List<AgentPane> toCapture = new ArrayList<>();
    for (AgentPane agent : listed) {
      if (agent.pane().dead() || full.capturing.contains(agent.key()) || fresh.contains(agent.key())) {
        continue;
      }
      Optional<String> screen = screens.unchanged(agent, now);
      if (screen.isPresent()) {
        agents.get(agent.key()).tell(new Agent.Observe(new Capture.Screen(agent, screen.get(), now)));
        counters.reused();
        metrics.screenReused();
      } else {
        toCapture.add(agent);
      }
    }
    return toCapture;
  }

  private Behavior<Command> onPanesChanged(PanesChanged changed) {
    pendingPanes.addAll(changed.paneIds());
    pendingStructural |= changed.structural();
    if (cycle == null) {
      runPending();
    }
    return this;
  }

  /** Runs what the change watcher reported meanwhile: a full cycle if panes came or went, else captures only. */
  private void runPending() {
    if (pendingStructural) {
      pendingPanes.clear();
      onRunCycle();
      return;
    }
    if (pendingPanes.isEmpty()) {
      return;
    }
    List<AgentPane> changed = panes.values().stream()
        .filter(a -> pendingPanes.contains(a.paneId().value())).toList();
    pendingPanes.clear();
    if (changed.isEmpty()) {
      return; // only panes that are not agents changed
    }
    Cycle partial = startCycle(CycleObserver.CycleKind.PARTIAL, 1);
    partial.targets.complete(targets());
    sweepAgents(partial, changed.stream().filter(a -> !a.pane().dead()).toList());
  }

  private void sweepAgents(Cycle of, List<AgentPane> toCapture) {
    Instant sentBefore = wallClock.instant();
    CompletionStage<Integer> swept = sweep.run(toCapture, capture -> deliverOnceReconciled(of, sentBefore, capture));
    getContext().pipeToSelf(swept, (count, failure) -> new SweepFinished(of, failure));
  }

  private Behavior<Command> onSweepFinished(SweepFinished finished) {
    Cycle of = finished.cycle();
    if (finished.failure() != null) {
      getContext().getLog().warn("capture sweep failed: {}", Sweep.describe(finished.failure()));
      of.ok = false;
    }
    of.sweepNanos = System.nanoTime() - of.startNanos;
    partDone(of);
    return this;
  }

  private void partDone(Cycle of) {
    if (--of.outstanding == 0) {
      finishCycle(of);
    }
  }

  private void finishCycle(Cycle done) {
    cycle = null;
    Duration took = Duration.ofNanos(System.nanoTime() - done.startNanos);
    if (measuring != null) {
      // Mailboxes are FIFO: an agent that answers a status request has processed the capture sent before it.
      ActorRef<StatusReply<Duration>> replyTo = measuring;
      measuring = null;
      CompletableFuture<?>[] barrier = agents.values().stream()
          .map(agent -> AskPattern.<Agent.Command, AgentStatus>ask(agent, Agent.GetStatus::new, askTimeout,
              getContext().getSystem().scheduler()).toCompletableFuture())
          .toArray(CompletableFuture[]::new);
      boolean ok = done.ok;
      getContext().pipeToSelf(CompletableFuture.allOf(barrier), (all, failure) -> new Measured(
          Duration.ofNanos(System.nanoTime() - done.startNanos), ok ? failure : new IllegalStateException(
              "the cycle failed (is tmux reachable?)"), replyTo));
    }
    counters.finished(done.ok, took, done.discoveryNanos, done.sweepNanos);
    if (done.ok) {
      metrics.cycleSucceeded(done.kind, took);
    } else {
      metrics.cycleFailed();
    }
    runPending();
  }

  /** Hidden sessions of tmux-orc processes that are gone (killed with SIGKILL) are removed, once each. */
  private void removeOrphanedHiddenSessions(List<Pane> seen) {
    String prefix = settings.tmux().hiddenSessionPrefix();
    List<TmuxCommand> kills = new ArrayList<>();
    for (String session : seen.stream().map(Pane::sessionName).distinct().toList()) {
      if (HiddenSession.isOrphan(session, prefix) && orphansRemoved.add(session)) {
        getContext().getLog().info("removing hidden session '{}': its tmux-orc process is gone", session);
        kills.add(new HiddenSession(prefix, HiddenSession.ownerOf(session, prefix).getAsLong()).kill());
      }
    }
    if (!kills.isEmpty()) {
      pool.tell(new TmuxPool.Run(kills, getContext().getSystem().ignoreRef()));
    }
  }

  /** Spawns children for new agents, updates known ones, stops those whose pane is gone; returns the new ones. */
  private List<AgentPane> reconcile(List<AgentPane> discovered) {
    Set<AgentId> seen = new HashSet<>();
    List<AgentPane> added = new ArrayList<>();
    // Many at once (the first discovery of a big fleet): one summary line, each agent at DEBUG; a thousand INFO
    // lines cost a second of start-up.
    boolean bulk = discovered.stream().filter(a -> !agents.containsKey(a.key())).count() > BULK_DISCOVERY;
    for (AgentPane agent : discovered) {
      seen.add(agent.key());
      ActorRef<Agent.Command> child = agents.get(agent.key());
      if (child == null) {
        String name = "agent-" + agent.paneId().value().substring(1) + "-" + (++spawned);
        child = getContext().spawn(Behaviors.supervise(Agent.create(agent, classifier, rules, hookRules,
            a -> sweep.collect(List.of(a)), clock, bulk)).onFailure(AGENT_RESTART), name);
        getContext().watchWith(child, new AgentStopped(agent.key()));
        agents.put(agent.key(), child);
        added.add(agent);
        if (bulk) {
          if (getContext().getLog().isDebugEnabled()) { // its arguments cost, a thousand times at a first discovery
            getContext().getLog().debug("discovered {} {} ({}) kind={} window '{}'", agent.role(),
                agent.pane().loggedTarget(), agent.paneId(), agent.kind(), agent.pane().loggedWindowName());
          }
        } else {
          getContext().getLog().info("discovered {} {} ({}) kind={} window '{}'", agent.role(),
              agent.pane().loggedTarget(), agent.paneId(), agent.kind(), agent.pane().loggedWindowName());
        }
        publish(new AgentEvent.AgentDiscovered(agent, clock.instant()));
      } else if (!agent.equals(panes.get(agent.key()))) {
        child.tell(new Agent.PaneUpdated(agent));
      }
      panes.put(agent.key(), agent);
    }
    if (bulk) {
      getContext().getLog().info("discovered {} agents ({} PMs) in {} sessions (each, and its first state, at DEBUG)",
          added.size(), added.stream().filter(a -> a.role() == Role.PM).count(),
          added.stream().map(a -> a.pane().sessionName()).distinct().count());
    }
    for (AgentId key : List.copyOf(agents.keySet())) {
      if (!seen.contains(key)) {
        AgentPane gone = panes.remove(key);
        getContext().stop(agents.remove(key));
        getContext().getLog().info("{} {} ({}) is gone", gone.role(), gone.pane().loggedTarget(), gone.paneId());
        publish(new AgentEvent.AgentGone(gone, clock.instant()));
      }
    }
    return added;
  }

  private Behavior<Command> onGetCycleStats(GetCycleStats get) {
    get.replyTo().tell(counters.stats(agents.size()));
    return this;
  }

  // The agent answers with the screen it classified last: the one its state was decided on, which its own
  // confirmation captures bring without passing through the pane_content layer. The layer's screen (when screen
  // reuse is on) is the answer only when the agent has none (it has just started, or is restarting).
  private Behavior<Command> onGetScreen(GetScreen get) {
    Optional<AgentId> agent = panes.keySet().stream().filter(id -> id.pane().equals(get.pane())).findFirst();
    Optional<String> cached = agent.flatMap(id -> screens == null ? Optional.empty() : screens.last(id));
    if (agent.isEmpty()) {
      get.replyTo().tell(Optional.empty());
    } else {
      agents.get(agent.get()).tell(new Agent.GetScreen(get.replyTo(), cached));
    }
    return this;
  }

  private Behavior<Command> onExplain(Explain explain) {
    Optional<AgentId> agent = panes.keySet().stream().filter(id -> id.pane().equals(explain.pane())).findFirst();
    if (agent.isEmpty()) {
      explain.replyTo().tell(Optional.empty());
    } else {
      agents.get(agent.get()).tell(new Agent.Explain(explain.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onHooked(Hooked hooked) {
    hookRouting.route(hooked, panes.values(), this::deliverHook);
    return this;
  }

  private void deliverHook(AgentPane agent, HookEvent event) {
    ActorRef<Agent.Command> child = agents.get(agent.key());
    if (child != null) {
      child.tell(new Agent.Hook(event));
    }
  }

  // A child the monitor did not stop (it gave up after failures) is forgotten; the next discovery respawns it.
  private Behavior<Command> onAgentStopped(AgentStopped stopped) {
    if (agents.remove(stopped.agent()) != null) {
      AgentPane pane = panes.remove(stopped.agent());
      getContext().getLog().warn("the actor of {} {} ({}) stopped; it is respawned at the next discovery",
          pane.role(), pane.pane().loggedTarget(), pane.paneId());
    }
    return this;
  }

  private void publish(AgentEvent event) {
    getContext().getSystem().eventStream().tell(new EventStream.Publish<>(event));
  }
}
