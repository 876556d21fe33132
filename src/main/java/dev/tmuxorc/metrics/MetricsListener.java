package dev.tmuxorc.metrics;

import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentFlag;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.monitor.CycleReport;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Turns the event stream into metrics: counts events by type, keeps the agents-by-state, by-health and by-kind
 * gauges from each agent's latest known state, and observes how long agents stay in a state.
 *
 * <p>Events about one agent come from two publishers (the supervisor announces agents and their end, the
 * agent's own actor its state and health), so they may arrive in any order: an agent is counted from the
 * first event about it, and after its {@code AgentGone} only a later {@code AgentDiscovered} counts it again.
 */
public final class MetricsListener extends AbstractBehavior<MetricsListener.Command> {

  public sealed interface Command { }

  private record Observed(AgentEvent event) implements Command { }

  private record Reported(CycleReport report) implements Command { }

  /**
   * Answered once the listener runs: by then it has subscribed (in its setup), so whatever is published after
   * the answer reaches it.
   */
  public record Subscribed(ActorRef<Done> replyTo) implements Command { }

  /** How many ended agents are remembered, to ignore their late events; the oldest are forgotten first. */
  static final int MAX_REMEMBERED_GONE = 4096;

  public static Behavior<Command> create(Metrics metrics) {
    return Behaviors.setup(context -> {
      context.setLoggerName(MetricsListener.class);
      var stream = context.getSystem().eventStream();
      stream.tell(new EventStream.Subscribe<>(AgentEvent.class,
          context.messageAdapter(AgentEvent.class, Observed::new)));
      stream.tell(new EventStream.Subscribe<>(CycleReport.class,
          context.messageAdapter(CycleReport.class, Reported::new)));
      return new MetricsListener(context, metrics);
    });
  }

  /**
   * What the gauges count an agent as, and since when it is in its state: null when that is not known (its
   * first event was a health change, or its discovery has not arrived), so no time in state is made up.
   */
  private record Tracked(AgentState state, Health health, AgentKind kind, Role role, Instant since) {

    static Tracked first(AgentPane agent) {
      return new Tracked(AgentState.UNKNOWN, Health.HEALTHY, agent.kind(), agent.role(), null);
    }

    /** The same, with the kind and role of the agent's latest event (its kind may be learned later). */
    Tracked seenAs(AgentPane agent) {
      return new Tracked(state, health, agent.kind(), agent.role(), since);
    }
  }

  private final Metrics metrics;
  private final Map<AgentId, Tracked> agents = new HashMap<>();
  private final Map<AgentId, Set<AgentFlag>> flags = new HashMap<>();
  private final Map<AgentId, Instant> gone = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<AgentId, Instant> eldest) {
      return size() > MAX_REMEMBERED_GONE;
    }
  };

  private MetricsListener(ActorContext<Command> context, Metrics metrics) {
    super(context);
    this.metrics = metrics;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Observed.class, observed -> onEvent(observed.event()))
        .onMessage(Subscribed.class, subscribed -> {
          subscribed.replyTo().tell(Done.getInstance());
          return this;
        })
        .onMessage(Reported.class, reported -> {
          metrics.eventSeen(CycleReport.class.getSimpleName());
          return this;
        })
        // A restarted or stopped listener starts again from nothing: take its agents out of the gauges.
        .onSignal(PreRestart.class, signal -> forgetAll())
        .onSignal(PostStop.class, signal -> forgetAll())
        .build();
  }

  private Behavior<Command> onEvent(AgentEvent event) {
    track(event);
    // Counted once handled: whoever reads the count (a scrape, a test waiting for it) finds the gauges moved too.
    metrics.eventSeen(event.getClass().getSimpleName());
    return this;
  }

  private void track(AgentEvent event) {
    AgentId key = event.agent().key();
    Instant goneAt = gone.get(key);
    if (goneAt != null) {
      // An agent's actor may still publish while it stops, even after its AgentGone: only a later discovery
      // (the same pane and process listed again) brings it back.
      if (!(event instanceof AgentEvent.AgentDiscovered) || !event.at().isAfter(goneAt)) {
        return;
      }
      gone.remove(key);
    }
    Tracked before = agents.get(key);
    Tracked known = before != null ? before.seenAs(event.agent()) : Tracked.first(event.agent());
    Tracked after;
    if (event instanceof AgentEvent.StateChanged changed) {
      if (before != null && before.since() != null && before.state() == changed.from()
          && !changed.at().isBefore(before.since())) {
        metrics.stateLeft(changed.from(), Duration.between(before.since(), changed.at()));
      }
      after = new Tracked(changed.to(), known.health(), known.kind(), known.role(), changed.at());
    } else if (event instanceof AgentEvent.HealthChanged changed) {
      after = new Tracked(known.state(), changed.to(), known.kind(), known.role(), known.since());
    } else if (event instanceof AgentEvent.AgentGone) {
      gone.put(key, event.at());
      unflag(key);
      after = null;
    } else if (event instanceof AgentEvent.FlagChanged changed) {
      Set<AgentFlag> raised = flags.computeIfAbsent(key, k -> EnumSet.noneOf(AgentFlag.class));
      if (changed.on() ? raised.add(changed.flag()) : raised.remove(changed.flag())) {
        metrics.agentsFlagged(changed.flag(), changed.on() ? 1 : -1);
      }
      after = known;
    } else if (event instanceof AgentEvent.SignalsDisagreed disagreed) {
      metrics.disagreement(disagreed.hookState(), disagreed.screenState());
      after = known;
    } else if (event instanceof AgentEvent.AgentRestarted) {
      metrics.actorRestarted("agent");
      after = known;
    } else if (known.state() == AgentState.UNKNOWN && known.since() == null) {
      // AgentDiscovered: an agent is unknown from its discovery until its first state change.
      after = new Tracked(known.state(), known.health(), known.kind(), known.role(), event.at());
    } else {
      after = known; // AgentDiscovered after the agent's first state change: that state stands
    }
    move(key, before, after);
  }

  /** Replaces what the gauges count for {@code key}; null for none. */
  private void move(AgentId key, Tracked before, Tracked after) {
    if (before != null) {
      metrics.agentsCounted(before.state(), before.role(), before.health(), before.kind(), -1);
    }
    if (after != null) {
      metrics.agentsCounted(after.state(), after.role(), after.health(), after.kind(), 1);
      agents.put(key, after);
    } else {
      agents.remove(key);
    }
  }

  private void unflag(AgentId key) {
    Set<AgentFlag> raised = flags.remove(key);
    if (raised != null) {
      raised.forEach(flag -> metrics.agentsFlagged(flag, -1));
    }
  }

  private Behavior<Command> forgetAll() {
    agents.values().forEach(t -> metrics.agentsCounted(t.state(), t.role(), t.health(), t.kind(), -1));
    agents.clear();
    List.copyOf(flags.keySet()).forEach(this::unflag);
    return this;
  }
}
