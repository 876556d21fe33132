package dev.tmuxorc.actions;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.tmux.TmuxCommand;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Restarts crashed agents (docs/actions.md, "Recovery"; opt-in): the pane is respawned ({@code respawn-pane -k})
 * with {@code recovery.command}, else the program seen at discovery, resuming a Claude Code conversation whose
 * session id its hooks told ({@code claude --resume ID}); once the new agent is idle the {@code briefing} is typed.
 * Guardrails: at most {@code max-restarts} per pane within {@code per} (then the circuit opens: no more, reported),
 * at least {@code spacing} between any two restarts of the fleet (others wait their turn), never the PM unless
 * {@code include-pm}, never a pane whose agent came back meanwhile, and one process is restarted once (its late
 * events do not ask again; the new process has another pid). Nothing from a pane or a hook becomes a shell
 * line: the discovered program and the session id are checked words, run without a shell.
 */
public final class Recovery extends AbstractBehavior<Recovery.Command> {

  public sealed interface Command { }

  private record Event(AgentEvent event) implements Command { }

  private record Respawned(PaneId pane, String command, Throwable failure) implements Command { }

  private record Briefed(PaneId pane, PaneTyper.Outcome outcome, Throwable failure) implements Command { }

  private enum Turn implements Command { INSTANCE }

  private enum Seed implements Command { INSTANCE }

  /** The agents as the fleet knows them a moment after the start: crashes seen before it listened count too. */
  private record Seeded(List<AgentStatus> agents, Throwable failure) implements Command { }

  /** When the fleet is asked for what happened before this actor listened (it subscribes at once). */
  static final Duration SEED_AFTER = Duration.ofSeconds(3);

  public record Parts(ActionSettings settings, PaneTyper.Tmux tmux, PaneTyper typer, ActionGate gate,
      java.util.function.Supplier<CompletionStage<List<AgentStatus>>> fleet,
      Optional<ActorRef<Journal.Command>> journal, ActionObserver observer, Clock clock) { }

  /** A program name as {@code #{pane_current_command}} shows it: a plain word starting with a letter. */
  private static final Pattern PROGRAM = Pattern.compile("[A-Za-z][A-Za-z0-9._+-]{0,63}");
  /** A Claude Code session id is a UUID; anything else (a flag, say) never reaches the command line. */
  private static final Pattern SESSION = Pattern.compile(
      "[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}");
  /** What a pane shows once its agent is gone: dead, or back at a shell. */
  private static final java.util.Set<String> SHELLS = java.util.Set.of("bash", "zsh", "sh", "fish", "dash", "ksh",
      "tcsh", "csh", "login");
  /** A briefing still due this long after the restart is dropped: typed hours later it would be noise. */
  static final Duration BRIEFING_WINDOW = Duration.ofMinutes(10);

  /** What is known of a pane: the program first seen in it, the conversation its hooks named, its state. */
  private static final class Known {
    AgentPane agent;
    String program;
    String sessionId;
    AgentState state = AgentState.UNKNOWN;
    final Deque<Instant> restarts = new ArrayDeque<>();
    boolean circuitOpen;
    Instant briefingDueUntil;
    String cwd; // the agent's working directory, as its hooks told
    // the process restarted last: its own late events (its crash again) ask for nothing more
    AgentId restarted;
  }

  public static Behavior<Command> create(Parts parts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Recovery(context, timers, parts)));
  }

  private final TimerScheduler<Command> timers;
  private final Parts parts;
  private final ActionLog actions;
  private final ActionSettings.Recovery settings;
  private final Map<PaneId, Known> panes = new HashMap<>();
  private final Deque<PaneId> queue = new ArrayDeque<>();
  private Instant lastRestart = Instant.MIN;
  private boolean restarting;
  private final Deque<Instant> crashes = new ArrayDeque<>(); // across the fleet, within storm.window
  private Instant stormUntil; // a storm is waited out until then; its queue is then restarted together
  private boolean stormBatch;

  private Recovery(ActorContext<Command> context, TimerScheduler<Command> timers, Parts parts) {
    super(context);
    context.setLoggerName(Recovery.class);
    this.timers = timers;
    this.parts = parts;
    this.actions = new ActionLog("recovery", parts.journal(), parts.observer(), parts.clock(), context.getLog());
    this.settings = parts.settings().recovery();
    context.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class,
        context.messageAdapter(AgentEvent.class, Event::new)));
    timers.startSingleTimer(Seed.INSTANCE, SEED_AFTER);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> onEvent(e.event()))
        .onMessageEquals(Turn.INSTANCE, this::next)
        .onMessageEquals(Seed.INSTANCE, () -> {
          getContext().pipeToSelf(parts.fleet().get(), Seeded::new);
          return this;
        })
        .onMessage(Seeded.class, this::onSeeded)
        .onMessage(Respawned.class, this::onRespawned)
        .onMessage(Briefed.class, this::onBriefed)
        .build();
  }

  private Behavior<Command> onEvent(AgentEvent event) {
    PaneId pane = event.agent().paneId();
    Known known = panes.computeIfAbsent(pane, p -> new Known());
    known.agent = event.agent();
    if (known.program == null && PROGRAM.matcher(event.agent().pane().currentCommand()).matches()) {
      known.program = event.agent().pane().currentCommand(); // the agent's program, before any crash
    }
    if (event instanceof AgentEvent.HookReceived hooked) {
      hooked.hook().sessionId().filter(id -> SESSION.matcher(id).matches()).ifPresent(id -> known.sessionId = id);
      hooked.hook().cwd().filter(dir -> dir.startsWith("/") && java.nio.file.Files.isDirectory(Path.of(dir)))
          .ifPresent(dir -> known.cwd = dir);
    } else if (event instanceof AgentEvent.StateChanged changed) {
      known.state = changed.to();
      if (changed.to() == AgentState.CRASHED && !event.agent().key().equals(known.restarted)) {
        crashed(pane, known);
      } else if (changed.to() == AgentState.IDLE && known.briefingDueUntil != null) {
        boolean due = parts.clock().instant().isBefore(known.briefingDueUntil);
        known.briefingDueUntil = null;
        if (!due) {
          return this;
        }
        getContext().pipeToSelf(parts.typer().type(pane, known.agent.kind(), settings.briefing()),
            (outcome, failure) -> new Briefed(pane, outcome, failure));
      }
    }
    return this;
  }

  // Agents already crashed when tmux-orc started (or before this actor listened) are restarted too.
  private Behavior<Command> onSeeded(Seeded seeded) {
    if (seeded.failure() != null) {
      getContext().getLog().warn("the fleet did not tell its agents ({}): crashes before the start are not "
          + "restarted", seeded.failure().getMessage());
      return this;
    }
    for (AgentStatus status : seeded.agents()) {
      PaneId pane = status.agent().paneId();
      if (panes.containsKey(pane) || status.state() != AgentState.CRASHED) {
        continue; // its events came: they know better
      }
      Known known = new Known();
      known.agent = status.agent();
      known.state = AgentState.CRASHED;
      status.hooks().flatMap(h -> h.sessionId()).filter(id -> SESSION.matcher(id).matches())
          .ifPresent(id -> known.sessionId = id);
      panes.put(pane, known);
      crashed(pane, known);
    }
    return this;
  }

  private void crashed(PaneId pane, Known known) {
    if (known.agent.role() == Role.PM && !settings.includePm()) {
      action(pane, "held", "the PM is never restarted unless recovery.include-pm");
      return;
    }
    Instant now = parts.clock().instant();
    while (!known.restarts.isEmpty() && known.restarts.peekFirst().isBefore(now.minus(settings.per()))) {
      known.restarts.removeFirst();
    }
    if (known.restarts.size() >= settings.maxRestarts()) {
      if (!known.circuitOpen) {
        known.circuitOpen = true;
        action(pane, "suppressed", "guardrail: " + known.restarts.size() + " restarts within "
            + settings.per().toMinutes() + " min: the circuit is open, no more restarts");
      }
      return;
    }
    known.circuitOpen = false;
    if (!queue.contains(pane)) {
      queue.addLast(pane);
    }
    ActionSettings.Storm storm = settings.storm();
    crashes.addLast(now);
    while (crashes.peekFirst().isBefore(now.minus(storm.window()))) {
      crashes.removeFirst();
    }
    if (crashes.size() >= storm.crashes() && stormUntil == null) {
      stormUntil = now.plus(storm.waitFor());
      action(pane, "held", "guardrail: " + crashes.size() + " crashes within " + storm.window().toSeconds()
          + " s: waiting " + storm.waitFor().toSeconds() + " s, then restarting those still crashed together");
      timers.startSingleTimer(Turn.INSTANCE, storm.waitFor());
    }
    next();
  }

  // One restart at a time, spacing apart across the fleet; a pane that came back meanwhile is skipped.
  private Behavior<Command> next() {
    if (restarting || queue.isEmpty()) {
      if (queue.isEmpty()) {
        stormBatch = false;
      }
      return this;
    }
    Instant now = parts.clock().instant();
    if (stormUntil != null) {
      if (now.isBefore(stormUntil)) {
        return this; // its timer calls again
      }
      stormUntil = null;
      stormBatch = true; // the storm's queue goes together
      crashes.clear();
    }
    Instant allowed = lastRestart.equals(Instant.MIN) || stormBatch ? now : lastRestart.plus(settings.spacing());
    if (now.isBefore(allowed)) {
      timers.startSingleTimer(Turn.INSTANCE, Duration.between(now, allowed));
      return this;
    }
    PaneId pane = queue.removeFirst();
    Known known = panes.get(pane);
    if (known == null || known.state != AgentState.CRASHED) {
      return next();
    }
    List<String> command = command(known);
    if (command.isEmpty()) {
      action(pane, "failed", "no command to restart it with: set tmux-orc.actions.recovery.command");
      return next();
    }
    if (parts.settings().dryRun() || parts.gate().paused()) {
      boolean dry = parts.settings().dryRun();
      action(pane, dry ? "dry-run" : "held", (dry ? "dry-run" : "paused") + ": would have respawned it with "
          + String.join(" ", command));
      return next();
    }
    restarting = true;
    lastRestart = now;
    known.restarts.addLast(now);
    known.restarted = known.agent.key();
    List<String> args = new ArrayList<>(List.of("respawn-pane", "-k", "-t", pane.value()));
    if (known.cwd != null) {
      args.addAll(List.of("-c", known.cwd)); // a resumed conversation belongs to its project's directory
    }
    args.add("--");
    args.addAll(command);
    // -k kills what runs there: only what the pane shows right now (dead, or a shell) lets it go ahead
    CompletionStage<Throwable> respawned = parts.tmux().run(List.of(TmuxCommand.of("display-message", "-p", "-t",
            pane.value(), "#{pane_dead} #{pane_current_command}")))
        .thenCompose(shown -> {
          String[] fields = shown.get(0).text().strip().split(" ", 2);
          boolean gone = fields[0].equals("1") || fields.length > 1 && SHELLS.contains(fields[1].strip());
          if (!gone) {
            return CompletableFuture.completedFuture((Throwable) new IllegalStateException(
                "the pane runs " + (fields.length > 1 ? fields[1] : "?") + " again: not restarted"));
          }
          return parts.tmux().run(List.of(new TmuxCommand(args))).thenApply(replies -> replies.get(0).ok() ? null
              : (Throwable) new IllegalStateException(replies.get(0).text().strip()));
        });
    getContext().pipeToSelf(respawned, (failure, thrown) ->
        new Respawned(pane, String.join(" ", command), thrown != null ? thrown : failure));
    return this;
  }

  /**
   * The configured command as one shell line (the configuration is trusted), else the discovered program with
   * {@code --resume ID} for a Claude Code conversation: separate arguments, run by tmux without a shell.
   */
  private List<String> command(Known known) {
    if (!settings.command().isBlank()) {
      return List.of(settings.command());
    }
    // the agent's own program by its kind (pane_current_command may show "node" for Claude Code)
    String program = known.agent.kind() == AgentKind.UNKNOWN ? known.program : known.agent.kind().wireName();
    if (program == null) {
      return List.of();
    }
    List<String> command = new ArrayList<>(List.of(program));
    if (settings.resumeSession() && known.sessionId != null && known.agent.kind() == AgentKind.CLAUDE) {
      command.addAll(List.of("--resume", known.sessionId));
    }
    return command; // one plain word (no shell syntax in it), or several run without a shell
  }

  private Behavior<Command> onRespawned(Respawned respawned) {
    restarting = false;
    Known known = panes.get(respawned.pane());
    if (respawned.failure() != null) {
      action(respawned.pane(), "failed", "respawn-pane failed: " + respawned.failure().getMessage());
    } else {
      action(respawned.pane(), "delivered", "respawned with " + respawned.command());
      if (known != null) {
        known.state = AgentState.STARTING;
        known.briefingDueUntil = settings.briefing().isBlank() ? null
            : parts.clock().instant().plus(BRIEFING_WINDOW);
      }
    }
    return next();
  }

  private Behavior<Command> onBriefed(Briefed briefed) {
    String why = briefed.outcome() instanceof PaneTyper.Outcome.Delivered ? "briefing typed"
        : briefed.outcome() instanceof PaneTyper.Outcome.Held held ? "briefing not typed: " + held.reason()
        : "briefing failed: " + (briefed.failure() != null ? briefed.failure().getMessage()
            : ((PaneTyper.Outcome.Failed) briefed.outcome()).reason());
    action(briefed.pane(), briefed.outcome() instanceof PaneTyper.Outcome.Delivered ? "delivered" : "failed", why);
    return this;
  }

  private void action(PaneId pane, String outcome, String why) {
    actions.record(pane.value(), outcome, why);
  }

}
