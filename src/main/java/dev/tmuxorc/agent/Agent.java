package dev.tmuxorc.agent;

import dev.tmuxorc.detect.Observation;
import dev.tmuxorc.detect.PaneFacts;
import dev.tmuxorc.detect.ScreenClassifier;
import dev.tmuxorc.discovery.AgentPane;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One watched agent: classifies each capture of its pane, runs its {@link AgentStateMachine}, and
 * publishes {@link AgentEvent}s. When a verdict needs confirmation (idle debounce, crash seen on screen) it
 * captures its own pane again after the debounce instead of waiting for the next sweep.
 */
public final class Agent extends AbstractBehavior<Agent.Command> {

  public sealed interface Command { }

  /** A capture of this agent's pane (from a sweep, or the agent's own confirmation capture). */
  public record Observe(Capture capture) implements Command { }

  /** Discovery saw the pane again; its metadata (dead flag, names, size) may have changed. */
  public record PaneUpdated(AgentPane agent) implements Command { }

  public record GetStatus(ActorRef<AgentStatus> replyTo) implements Command { }

  /** A hook event the agent reported about itself. */
  public record Hook(HookEvent event) implements Command { }

  /** The last screen this agent classified (empty before its first capture). */
  public record GetScreen(ActorRef<Optional<String>> replyTo) implements Command { }

  private enum Confirm implements Command { INSTANCE }

  public static Behavior<Command> create(AgentPane agent, ScreenClassifier classifier,
      AgentStateMachine.Rules rules, ConfirmCapture confirm, Clock clock) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Agent(context, timers, agent, classifier, rules, confirm, clock)));
  }

  private final TimerScheduler<Command> timers;
  private final ScreenClassifier classifier;
  private final ConfirmCapture confirm;
  private final Clock clock;
  private final AgentStateMachine machine;
  private AgentPane agent;
  // The last screen classified, with which pane facts, and the verdict: most screens are seen again unchanged
  // (full cycles hand an agent its last screen when its window was quiet), and the classifier reads nothing
  // but the screen and the facts (the time only dates a reset, which the state machine keeps from the first).
  private String classifiedScreen;
  private PaneFacts classifiedWith;
  private Observation classified;
  private HookFacts hooks; // null until the agent's first hook event

  private Agent(ActorContext<Command> context, TimerScheduler<Command> timers, AgentPane agent,
      ScreenClassifier classifier, AgentStateMachine.Rules rules, ConfirmCapture confirm, Clock clock) {
    super(context);
    // Pekko cannot always infer the class of a behavior created in setup(); name the logger ourselves.
    context.setLoggerName(Agent.class);
    this.timers = timers;
    this.agent = agent;
    this.classifier = classifier;
    this.confirm = confirm;
    this.clock = clock;
    this.machine = new AgentStateMachine(rules, clock.instant());
    if (agent.pane().dead()) {
      apply(machine.paneDead(deadStatus(agent), clock.instant()));
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Observe.class, this::onObserve)
        .onMessage(PaneUpdated.class, this::onPaneUpdated)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(Hook.class, this::onHook)
        .onMessage(GetScreen.class, get -> {
          get.replyTo().tell(Optional.ofNullable(classifiedScreen));
          return this;
        })
        .onMessageEquals(Confirm.INSTANCE, this::onConfirm)
        .onSignal(PreRestart.class, signal -> {
          publish(new AgentEvent.AgentRestarted(agent, clock.instant()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onObserve(Observe observe) {
    if (agent.pane().dead()) {
      return this; // a dead pane's last screen says nothing new; pane_dead already decided
    }
    Capture capture = observe.capture();
    if (capture instanceof Capture.Screen screen) {
      PaneFacts facts = PaneFacts.of(agent);
      if (!(screen.text().equals(classifiedScreen) && facts.equals(classifiedWith))) {
        classified = classifier.classify(screen.text(), facts, ZonedDateTime.now(clock));
        classifiedScreen = screen.text();
        classifiedWith = facts;
      }
      apply(machine.observe(screen.text(), classified, screen.at()));
    } else {
      apply(machine.captureFailed(capture.at()));
    }
    return this;
  }

  private Behavior<Command> onPaneUpdated(PaneUpdated updated) {
    boolean died = updated.agent().pane().dead() && !agent.pane().dead();
    agent = updated.agent();
    if (died) {
      timers.cancel(Confirm.INSTANCE);
      apply(machine.paneDead(deadStatus(agent), clock.instant()));
    }
    return this;
  }

  // Recorded and published; turning hook events into states, fused with the screen, is the next step.
  private Behavior<Command> onHook(Hook hook) {
    hooks = hooks == null ? HookFacts.first(hook.event()) : hooks.with(hook.event());
    publish(new AgentEvent.HookReceived(agent, hook.event(), hook.event().at()));
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo().tell(status());
    return this;
  }

  private Behavior<Command> onConfirm() {
    confirm.capture(agent).thenAccept(captures -> captures.forEach(
        capture -> getContext().getSelf().tell(new Observe(capture))));
    return this;
  }

  private void apply(AgentStateMachine.Outcome outcome) {
    Instant now = clock.instant();
    outcome.stateChange().ifPresent(change -> {
      getContext().getLog().info("{} {} ({}): {} -> {}{}", agent.role(), agent.pane().loggedTarget(), agent.paneId(),
          change.from(), change.to(), machine.evidence().isEmpty() ? ""
              : " [" + machine.evidence().get(0).rule() + ": " + machine.evidence().get(0).text() + "]");
      publish(new AgentEvent.StateChanged(agent, change.from(), change.to(), machine.evidence(),
          machine.resetAt(), now));
    });
    outcome.healthChange().ifPresent(change -> {
      getContext().getLog().info("{} {} ({}): health {} -> {}", agent.role(), agent.pane().loggedTarget(),
          agent.paneId(), change.from(), change.to());
      publish(new AgentEvent.HealthChanged(agent, change.from(), change.to(), now));
    });
    outcome.confirmAfter().ifPresent(delay -> timers.startSingleTimer(Confirm.INSTANCE, delay));
  }

  private void publish(AgentEvent event) {
    getContext().getSystem().eventStream().tell(new EventStream.Publish<>(event));
  }

  private AgentStatus status() {
    Instant now = clock.instant();
    return new AgentStatus(agent, machine.state(), machine.previousState(), machine.health(), machine.since(),
        machine.lastChange(), machine.evidence(), machine.resetAt(), machine.timeInState(now),
        Optional.ofNullable(hooks));
  }

  private static Optional<Integer> deadStatus(AgentPane agent) {
    var status = agent.pane().deadStatus();
    return status.isPresent() ? Optional.of(status.getAsInt()) : Optional.empty();
  }
}
