package dev.tmuxorc.actions;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.journal.Journal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Presses Enter on a prompt left unsubmitted (docs/actions.md, "Auto-submit"): an agent {@code unsubmitted} for
 * {@code after} whose screen did not change meanwhile and that reported no hook event meanwhile (a human may be
 * typing) gets Enter on exactly the text it shows, at most {@code attempts} times {@code spacing} apart; any
 * change of state starts the count afresh. Never on a starting screen (an agent that was never anything else),
 * never while actions are paused, only journalled in dry-run.
 */
public final class AutoSubmitter extends AbstractBehavior<AutoSubmitter.Command> {

  public sealed interface Command { }

  private record Event(AgentEvent event) implements Command { }

  private record Due(AgentId agent, long episode) implements Command { }

  private record Looked(AgentId agent, long episode, Optional<String> screen) implements Command { }

  private record Checked(AgentId agent, long episode, Optional<String> screen) implements Command { }

  private record Submitted(AgentId agent, long episode, PaneTyper.Outcome outcome, Throwable failure)
      implements Command { }

  /** What it works with; {@code screens} gives an agent's last screen. */
  public record Parts(ActionSettings settings, PaneTyper typer, ActionGate gate,
      Function<PaneId, CompletionStage<Optional<String>>> screens, Optional<ActorRef<Journal.Command>> journal,
      ActionObserver observer, Clock clock) { }

  /** One unsubmitted spell of an agent: the screen it started with, attempts so far, its last hook event. */
  private static final class Spell {
    final AgentPane agent;
    final long episode;
    final Instant since;
    String screen;
    int attempts;
    Instant lastHook;

    Spell(AgentPane agent, long episode, Instant since) {
      this.agent = agent;
      this.episode = episode;
      this.since = since;
    }
  }

  public static Behavior<Command> create(Parts parts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new AutoSubmitter(context, timers, parts)));
  }

  private final TimerScheduler<Command> timers;
  private final Parts parts;
  private final ActionLog actions;
  private final ActionSettings.AutoSubmit settings;
  private final Map<AgentId, Spell> spells = new HashMap<>();
  private final Map<AgentId, AgentState> previous = new HashMap<>();
  private long episodes;

  private AutoSubmitter(ActorContext<Command> context, TimerScheduler<Command> timers, Parts parts) {
    super(context);
    context.setLoggerName(AutoSubmitter.class);
    this.timers = timers;
    this.parts = parts;
    this.actions = new ActionLog("auto-submit", parts.journal(), parts.observer(), parts.clock(), context.getLog());
    this.settings = parts.settings().autoSubmit();
    context.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class,
        context.messageAdapter(AgentEvent.class, Event::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> onEvent(e.event()))
        .onMessage(Due.class, this::onDue)
        .onMessage(Looked.class, this::onLooked)
        .onMessage(Checked.class, this::onChecked)
        .onMessage(Submitted.class, this::onSubmitted)
        .build();
  }

  private Behavior<Command> onEvent(AgentEvent event) {
    AgentId id = event.agent().key();
    if (event instanceof AgentEvent.StateChanged changed) {
      AgentState before = previous.put(id, changed.to());
      end(id);
      // a prompt typed into a welcome screen is the human's first message being written: never sent for them
      if (changed.to() == AgentState.UNSUBMITTED && before != null && before != AgentState.STARTING) {
        Spell spell = new Spell(event.agent(), ++episodes, event.at());
        spells.put(id, spell);
        look(spell); // the screen it starts with, to tell whether it changes
        timers.startSingleTimer(id, new Due(id, spell.episode), settings.after());
      }
    } else if (event instanceof AgentEvent.HookReceived hooked) {
      Spell spell = spells.get(id);
      if (spell != null) {
        spell.lastHook = hooked.at();
      }
    } else if (event instanceof AgentEvent.AgentGone) {
      end(id);
      previous.remove(id);
    }
    return this;
  }

  private void end(AgentId id) {
    if (spells.remove(id) != null) {
      timers.cancel(id);
    }
  }

  private void look(Spell spell) {
    getContext().pipeToSelf(parts.screens().apply(spell.agent.paneId()), (screen, failure) ->
        new Looked(spell.agent.key(), spell.episode, failure == null ? screen : Optional.empty()));
  }

  private Behavior<Command> onLooked(Looked looked) {
    Spell spell = spells.get(looked.agent());
    if (spell != null && spell.episode == looked.episode() && spell.screen == null) {
      spell.screen = looked.screen().orElse("");
    }
    return this;
  }

  private Behavior<Command> onDue(Due due) {
    Spell spell = spells.get(due.agent());
    if (spell == null || spell.episode != due.episode()) {
      return this;
    }
    Instant now = parts.clock().instant();
    if (spell.lastHook != null && now.isBefore(spell.lastHook.plus(settings.after()))) {
      timers.startSingleTimer(due.agent(), due, Duration.between(now, spell.lastHook.plus(settings.after())));
      return this; // the agent itself is active: someone may be typing to it
    }
    getContext().pipeToSelf(parts.screens().apply(spell.agent.paneId()), (screen, failure) ->
        new Checked(due.agent(), due.episode(), failure == null ? screen : Optional.empty()));
    return this;
  }

  private Behavior<Command> onChecked(Checked checked) {
    Spell spell = spells.get(checked.agent());
    if (spell == null || spell.episode != checked.episode()) {
      return this;
    }
    String screen = checked.screen().orElse("");
    if (spell.screen == null || !spell.screen.equals(screen)) {
      spell.screen = screen; // it changed since: someone is at it; look again after as long
      timers.startSingleTimer(checked.agent(), new Due(checked.agent(), spell.episode), settings.after());
      return this;
    }
    Optional<String> typed = parts.typer().promptInput(screen, spell.agent.kind());
    if (typed.isEmpty() || typed.get().isEmpty()) {
      end(checked.agent());
      return this;
    }
    String pane = spell.agent.paneId().value();
    if (parts.settings().dryRun() || parts.gate().paused()) {
      String why = parts.settings().dryRun() ? "dry-run" : "paused";
      action(pane, parts.settings().dryRun() ? "dry-run" : "held", why + ": would have pressed Enter on '"
          + typed.get() + "'");
      end(checked.agent());
      return this;
    }
    spell.attempts++;
    getContext().pipeToSelf(parts.typer().submit(spell.agent.paneId(), spell.agent.kind(), typed.get()),
        (outcome, failure) -> new Submitted(checked.agent(), spell.episode, outcome, failure));
    return this;
  }

  private Behavior<Command> onSubmitted(Submitted submitted) {
    Spell spell = spells.get(submitted.agent());
    if (spell == null || spell.episode != submitted.episode()) {
      return this; // the state changed meanwhile: what the Enter did shows there
    }
    String pane = spell.agent.paneId().value();
    if (submitted.outcome() instanceof PaneTyper.Outcome.Delivered) {
      action(pane, "delivered", "pressed Enter on a prompt unsubmitted for " + settings.after().toSeconds() + " s");
      end(submitted.agent());
    } else if (submitted.outcome() instanceof PaneTyper.Outcome.Held held) {
      action(pane, "deferred", held.reason());
      end(submitted.agent());
    } else {
      String why = submitted.failure() != null ? String.valueOf(submitted.failure().getMessage())
          : ((PaneTyper.Outcome.Failed) submitted.outcome()).reason();
      boolean again = spell.attempts < settings.attempts();
      action(pane, "failed", why + (again ? "; trying again in " + settings.spacing().toSeconds() + " s"
          : "; gave up after " + spell.attempts + " attempt(s)"));
      if (again) {
        timers.startSingleTimer(submitted.agent(), new Due(submitted.agent(), spell.episode), settings.spacing());
      } else {
        end(submitted.agent());
      }
    }
    return this;
  }

  private void action(String paneId, String outcome, String why) {
    actions.record(paneId, outcome, why);
  }

}
