package dev.tmuxorc.actions;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.journal.Journal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Rate limits as a schedule (docs/actions.md): an agent {@code rate_limited} with a known reset time is left alone
 * until then plus {@code margin}; if it is still limited then, the configured message ({@code "continue"}) is
 * typed into its prompt by the {@link PaneTyper} rules (Claude's own auto-continue does not fire in a detached
 * pane). Other agents carry on meanwhile: each agent has its own timer. Once, per limit: if the agent does not
 * resume, it is left to the PM's report (it stays rate-limited and is not reported until it is back).
 */
public final class RateLimitResumer extends AbstractBehavior<RateLimitResumer.Command> {

  public sealed interface Command { }

  private record Event(AgentEvent event) implements Command { }

  private record Due(AgentId agent, Instant resetAt) implements Command { }

  private record Typed(AgentId agent, Instant resetAt, PaneTyper.Outcome outcome, Throwable failure)
      implements Command { }

  public record Parts(ActionSettings settings, PaneTyper typer, ActionGate gate,
      java.util.function.Supplier<java.util.concurrent.CompletionStage<java.util.List<AgentStatus>>> fleet,
      Optional<ActorRef<Journal.Command>> journal, ActionObserver observer, Clock clock) { }

  private enum Seed implements Command { INSTANCE }

  /** The agents as the fleet knows them a moment after the start: limits seen before it listened count too. */
  private record Seeded(java.util.List<AgentStatus> agents, Throwable failure) implements Command { }

  /** A limited agent and the reset it waits for. */
  private record Limited(AgentPane agent, Instant resetAt) { }

  public static Behavior<Command> create(Parts parts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new RateLimitResumer(context, timers, parts)));
  }

  private final TimerScheduler<Command> timers;
  private final Parts parts;
  private final ActionLog actions;
  private final Map<AgentId, Limited> limited = new HashMap<>();

  private RateLimitResumer(ActorContext<Command> context, TimerScheduler<Command> timers, Parts parts) {
    super(context);
    context.setLoggerName(RateLimitResumer.class);
    this.timers = timers;
    this.parts = parts;
    this.actions = new ActionLog("rate-limit-resume", parts.journal(), parts.observer(), parts.clock(), context.getLog());
    context.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class,
        context.messageAdapter(AgentEvent.class, Event::new)));
    timers.startSingleTimer(Seed.INSTANCE, Recovery.SEED_AFTER);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> onEvent(e.event()))
        .onMessage(Due.class, this::onDue)
        .onMessageEquals(Seed.INSTANCE, () -> {
          getContext().pipeToSelf(parts.fleet().get(), Seeded::new);
          return this;
        })
        .onMessage(Seeded.class, seeded -> {
          if (seeded.failure() == null) {
            seeded.agents().stream().filter(s -> s.state() == AgentState.RATE_LIMITED && s.resetAt().isPresent()
                && !limited.containsKey(s.agent().key())).forEach(s -> schedule(s.agent(), s.resetAt().get()));
          }
          return this;
        })
        .onMessage(Typed.class, this::onTyped)
        .build();
  }

  private Behavior<Command> onEvent(AgentEvent event) {
    AgentId id = event.agent().key();
    if (event instanceof AgentEvent.StateChanged changed) {
      if (changed.to() == AgentState.RATE_LIMITED && changed.resetAt().isPresent()) {
        schedule(event.agent(), changed.resetAt().get());
      } else if (limited.remove(id) != null) {
        timers.cancel(id); // it resumed by itself (or crashed, or left): nothing to do
      }
    } else if (event instanceof AgentEvent.AgentGone && limited.remove(id) != null) {
      timers.cancel(id);
    }
    return this;
  }

  private void schedule(AgentPane agent, Instant resetAt) {
    AgentId id = agent.key();
    limited.put(id, new Limited(agent, resetAt));
    Duration wait = Duration.between(parts.clock().instant(), resetAt.plus(parts.settings().rateLimit().margin()));
    timers.startSingleTimer(id, new Due(id, resetAt), wait.isNegative() ? Duration.ZERO : wait);
  }

  private Behavior<Command> onDue(Due due) {
    Limited limit = limited.get(due.agent());
    if (limit == null || !limit.resetAt().equals(due.resetAt())) {
      return this;
    }
    String pane = limit.agent().paneId().value();
    String message = parts.settings().rateLimit().message();
    if (!parts.settings().rateLimit().resume()) {
      action(pane, "held", "its reset time has passed; rate-limit.resume is off: waiting for it to resume");
      limited.remove(due.agent());
    } else if (parts.settings().dryRun() || parts.gate().paused()) {
      boolean dry = parts.settings().dryRun();
      action(pane, dry ? "dry-run" : "held", (dry ? "dry-run" : "paused") + ": would have typed '" + message
          + "' after its reset at " + limit.resetAt());
      limited.remove(due.agent());
    } else {
      getContext().pipeToSelf(parts.typer().type(limit.agent().paneId(), limit.agent().kind(), message),
          (outcome, failure) -> new Typed(due.agent(), due.resetAt(), outcome, failure));
    }
    return this;
  }

  private Behavior<Command> onTyped(Typed typed) {
    Limited limit = limited.get(typed.agent());
    if (limit != null && limit.resetAt().equals(typed.resetAt())) {
      limited.remove(typed.agent()); // a newer limit came meanwhile: it keeps its own timer
    }
    String pane = limit != null ? limit.agent().paneId().value() : null;
    if (typed.outcome() instanceof PaneTyper.Outcome.Delivered) {
      action(pane, "delivered", "typed '" + parts.settings().rateLimit().message() + "' after its reset at "
          + typed.resetAt());
    } else if (typed.outcome() instanceof PaneTyper.Outcome.Held held) {
      action(pane, "deferred", held.reason() + ": not typed");
    } else {
      action(pane, "failed", typed.failure() != null ? String.valueOf(typed.failure().getMessage())
          : ((PaneTyper.Outcome.Failed) typed.outcome()).reason());
    }
    return this;
  }

  private void action(String paneId, String outcome, String why) {
    actions.record(paneId, outcome, why);
  }

}
