package dev.tmuxorc.agent;

import dev.tmuxorc.detect.Observation;
import dev.tmuxorc.detect.PaneFacts;
import dev.tmuxorc.detect.ScreenClassifier;
import dev.tmuxorc.discovery.AgentPane;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
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
 * One watched agent: classifies each capture of its pane and runs its {@link AgentStateMachine} (the screen's
 * reading), reads its hook events by the {@link HookMapping}, fuses both in its {@link SignalFusion} into the
 * state it publishes, and publishes {@link AgentEvent}s. When a verdict needs confirmation (idle debounce, crash
 * seen on screen) it captures its own pane again after the debounce instead of waiting for the next sweep; when
 * the fusion has a deadline (a stall, hook silence, a disagreement) it looks again then.
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

  /** The last screen this agent classified ({@code fallback} before its first capture). */
  public record GetScreen(ActorRef<Optional<String>> replyTo, Optional<String> fallback) implements Command { }

  /** Why the agent is in its state. */
  public record Explain(ActorRef<Optional<Explanation>> replyTo) implements Command { }

  private enum Confirm implements Command { INSTANCE }

  private enum Check implements Command { INSTANCE }

  public static Behavior<Command> create(AgentPane agent, ScreenClassifier classifier,
      AgentStateMachine.Rules rules, HookRules hookRules, ConfirmCapture confirm, Clock clock) {
    return create(agent, classifier, rules, hookRules, confirm, clock, false);
  }

  /** {@code quietStart}: its first state is logged at DEBUG (it came with a whole fleet at once). */
  public static Behavior<Command> create(AgentPane agent, ScreenClassifier classifier,
      AgentStateMachine.Rules rules, HookRules hookRules, ConfirmCapture confirm, Clock clock, boolean quietStart) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers ->
        new Agent(context, timers, agent, classifier, rules, hookRules, confirm, clock, quietStart)));
  }

  private final TimerScheduler<Command> timers;
  private final ScreenClassifier classifier;
  private final ConfirmCapture confirm;
  private final Clock clock;
  private final AgentStateMachine machine;
  private final HookMapping mapping;
  private final SignalFusion fusion;
  private final StateBook book; // the fused state, the one published
  private AgentPane agent;
  private Instant lastCapture;
  private boolean quietFirstState;
  private Instant checkAt; // when the fusion's check timer fires, null when none is set
  // The last screen classified, with which pane facts, and the verdict: most screens are seen again unchanged
  // (full cycles hand an agent its last screen when its window was quiet), and the classifier reads nothing
  // but the screen and the facts (the time only dates a reset, which the state machine keeps from the first).
  private String classifiedScreen;
  private PaneFacts classifiedWith;
  private Observation classified;
  private HookFacts hooks; // null until the agent's first hook event

  private Agent(ActorContext<Command> context, TimerScheduler<Command> timers, AgentPane agent,
      ScreenClassifier classifier, AgentStateMachine.Rules rules, HookRules hookRules, ConfirmCapture confirm,
      Clock clock, boolean quietStart) {
    super(context);
    // Pekko cannot always infer the class of a behavior created in setup(); name the logger ourselves.
    context.setLoggerName(Agent.class);
    this.timers = timers;
    this.agent = agent;
    this.classifier = classifier;
    this.confirm = confirm;
    this.clock = clock;
    this.machine = new AgentStateMachine(rules, clock.instant());
    this.mapping = hookRules.mapping();
    this.fusion = new SignalFusion(SignalFusion.Tuning.of(hookRules.settings()));
    this.book = new StateBook(clock.instant());
    this.quietFirstState = quietStart;
    if (agent.pane().dead()) {
      apply(machine.paneDead(deadStatus(agent), clock.instant()), clock.instant());
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
          get.replyTo().tell(classifiedScreen != null ? Optional.of(classifiedScreen) : get.fallback());
          return this;
        })
        .onMessage(Explain.class, explain -> {
          explain.replyTo().tell(Optional.of(explanation()));
          return this;
        })
        .onMessageEquals(Confirm.INSTANCE, this::onConfirm)
        .onMessageEquals(Check.INSTANCE, () -> {
          checkAt = null;
          Instant now = clock.instant();
          fuse(now, now);
          return this;
        })
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
        classifiedWith = facts;
      }
      // The newest copy even when equal: the monitor's screen cache holds that one, and the older can go.
      classifiedScreen = screen.text();
      lastCapture = screen.at();
      apply(machine.observe(screen.text(), classified, screen.at()), screen.at());
    } else {
      apply(machine.captureFailed(capture.at()), capture.at());
    }
    return this;
  }

  private Behavior<Command> onPaneUpdated(PaneUpdated updated) {
    boolean died = updated.agent().pane().dead() && !agent.pane().dead();
    agent = updated.agent();
    if (died) {
      timers.cancel(Confirm.INSTANCE);
      apply(machine.paneDead(deadStatus(agent), clock.instant()), clock.instant());
    }
    return this;
  }

  private Behavior<Command> onHook(Hook hook) {
    HookEvent event = hook.event();
    hooks = hooks == null ? HookFacts.first(event) : hooks.with(event);
    publish(new AgentEvent.HookReceived(agent, event, event.at()));
    fusion.hook(mapping.read(event));
    fuse(event.at(), clock.instant());
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

  // The screen's outcome: its health change and confirmation are the agent's; its state goes through the fusion.
  private void apply(AgentStateMachine.Outcome outcome, Instant at) {
    outcome.stateChange().ifPresent(change -> fusion.screenChanged(change.from(), change.to(), at));
    outcome.healthChange().ifPresent(change -> {
      getContext().getLog().info("{} {} ({}): health {} -> {}", agent.role(), agent.pane().loggedTarget(),
          agent.paneId(), change.from(), change.to());
      publish(new AgentEvent.HealthChanged(agent, change.from(), change.to(), clock.instant()));
    });
    outcome.confirmAfter().ifPresent(delay -> timers.startSingleTimer(Confirm.INSTANCE, delay));
    fuse(at, clock.instant());
  }

  /** Re-judges the state from both sources; {@code at} dates a change of state (the capture, the hook event). */
  private void fuse(Instant at, Instant now) {
    SignalFusion.Step step = fusion.update(screenReading(), now);
    SignalFusion.Verdict verdict = step.verdict();
    var stateChange = book.set(verdict.state(), verdict.evidence(), verdict.resetAt(), at);
    // the state first: whoever sees a flag raised finds the state it brought already there
    stateChange.ifPresent(change -> {
      String line = "{} {} ({}): {} -> {}{}";
      Object[] args = {agent.role(), agent.pane().loggedTarget(), agent.paneId(), change.from(), change.to(),
          verdict.evidence().isEmpty() ? ""
              : " [" + verdict.evidence().get(0).rule() + ": " + verdict.evidence().get(0).text() + "]"};
      if (quietFirstState) {
        quietFirstState = false;
        getContext().getLog().debug(line, args);
      } else {
        getContext().getLog().info(line, args);
      }
      publish(new AgentEvent.StateChanged(agent, change.from(), change.to(), verdict.evidence(), verdict.resetAt(),
          now));
    });
    for (SignalFusion.FlagChange flag : step.flags()) {
      hooks = hooks == null ? null : hooks.with(flag.flag(), flag.on());
      getContext().getLog().info("{} {} ({}): {} {} ({})", agent.role(), agent.pane().loggedTarget(),
          agent.paneId(), flag.flag(), flag.on() ? "raised" : "cleared", flag.reason());
      publish(new AgentEvent.FlagChanged(agent, flag.flag(), flag.on(), flag.reason(), verdict.evidence(), now));
    }
    step.disagreement().ifPresent(d -> publish(new AgentEvent.SignalsDisagreed(agent, d.hook(), d.hookState(),
        d.screenState(), d.screenEvidence(), d.decided().state(), d.decided().evidence(), now)));
    // Rescheduled only for an earlier deadline: a working agent's stall deadline moves on with every capture and
    // hook, and a check that comes early just looks again and schedules the next.
    Optional<Instant> next = step.nextCheck();
    if (next.isPresent() && (checkAt == null || next.get().isBefore(checkAt))) {
      Duration wait = Duration.between(now, next.get());
      timers.startSingleTimer(Check.INSTANCE, wait.isNegative() ? Duration.ZERO : wait);
      checkAt = next.get();
    }
  }

  private SignalFusion.ScreenReading screenReading() {
    return new SignalFusion.ScreenReading(machine.state(), machine.evidence(), machine.resetAt(),
        machine.lastChange(), lastCapture != null ? lastCapture : machine.lastChange());
  }

  private void publish(AgentEvent event) {
    getContext().getSystem().eventStream().tell(new EventStream.Publish<>(event));
  }

  private AgentStatus status() {
    Instant now = clock.instant();
    return new AgentStatus(agent, book.state(), book.previousState(), machine.health(), book.since(),
        machine.lastChange(), book.evidence(), book.resetAt(), book.timeInState(now), Optional.ofNullable(hooks));
  }

  private Explanation explanation() {
    Instant now = clock.instant();
    Observation last = classified;
    Explanation.Screen screen = new Explanation.Screen(machine.state().wireName(), machine.lastVerdict().wireName(),
        last == null ? List.of() : last.evidence(), lastCapture == null ? null : lastCapture.toString(),
        lastCapture == null ? null : ageMs(lastCapture, now), machine.lastChange().toString(),
        ageMs(machine.lastChange(), now));
    Explanation.Hook hook = fusion.reading().map(reading -> new Explanation.Hook(reading.source(), reading.event(),
        reading.key(), reading.meaning().wireName(), reading.at().toString(), ageMs(reading.at(), now),
        fusion.readingInForce(), hooks.lastEvent(), hooks.lastAt().toString(), ageMs(hooks.lastAt(), now),
        hooks.events(), hooks.sessionId().orElse(null), hooks.transcriptPath().orElse(null))).orElse(null);
    List<String> flags = new ArrayList<>();
    if (fusion.stalled()) {
      flags.add(AgentFlag.STALLED.wireName());
    }
    if (fusion.silent()) {
      flags.add(AgentFlag.HOOKS_SILENT.wireName());
    }
    List<Explanation.Transition> transitions = book.transitions().stream()
        .map(t -> new Explanation.Transition(t.from().wireName(), t.to().wireName(), t.at().toString(),
            t.evidence().isEmpty() ? "none" : t.evidence().get(0).rule(), t.evidence()))
        .toList();
    return new Explanation(agent.paneId().value(), agent.pane().target(), agent.kind().wireName(),
        book.state().wireName(), book.since().toString(), ageMs(book.since(), now),
        book.evidence().isEmpty() ? "none" : book.evidence().get(0).rule(), book.evidence(), screen, hook,
        List.copyOf(flags), transitions, now.toString());
  }

  private static long ageMs(Instant then, Instant now) {
    return Math.max(0, Duration.between(then, now).toMillis());
  }

  private static Optional<Integer> deadStatus(AgentPane agent) {
    var status = agent.pane().deadStatus();
    return status.isPresent() ? Optional.of(status.getAsInt()) : Optional.empty();
  }
}
