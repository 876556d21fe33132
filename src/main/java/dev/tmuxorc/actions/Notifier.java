package dev.tmuxorc.actions;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.AgentFlag;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.tmux.TmuxCommand;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Reports to each session's PM what needs it (docs/actions.md, "PM reports"): from the agents' events it notes
 * each need (an agent waiting, crashed, in error, stalled, back from a rate limit, gone; idle or unsubmitted past
 * {@code grace}), skips what was reported within its cooldown (same agent, reason and screen), keeps the rest in
 * the {@link OutboxStore}, and every {@code interval} delivers one report per session, only while the PM is idle,
 * through the {@link PaneTyper}. A report cut off mid-delivery (a stop, a crash) is judged from the PM's screen
 * before anything else is sent. Every outcome is journalled as an {@code Action} entry (and so streamed).
 * Blocking JDBC: runs on the blocking dispatcher.
 */
public final class Notifier extends AbstractBehavior<Notifier.Command> {

  public sealed interface Command { }

  private record Event(AgentEvent event) implements Command { }

  /** A need with the screen it was seen on; {@code subject}: the agent's pane id, or an account's key. */
  private record Screened(AgentPane agent, String subject, Reason reason, String line, Optional<String> screen)
      implements Command { }

  private record Typed(OutboxStore.Report report, PaneTyper.Outcome outcome, Throwable failure) implements Command { }

  private record Checked(OutboxStore.Report report, Verdict verdict, Throwable failure) implements Command { }

  /** The agents as the fleet knows them when the notifier starts (or restarts): it may have missed their events. */
  private record Seeded(List<AgentStatus> agents, Throwable failure) implements Command { }

  private enum Tick implements Command { INSTANCE }

  /**
   * The PM (through {@code tmux-orc mcp}'s ack_report) acknowledges report {@code reportId}: the needs it carried
   * are not escalated to people. Answered with the report's state (empty: no such report) and how many pending
   * escalations it stopped; {@code problem} is set when the outbox could not be read.
   */
  public record Acknowledge(long reportId, ActorRef<Acknowledged> replyTo) implements Command { }

  public record Acknowledged(long reportId, Optional<String> reportState, int escalationsStopped, String problem) { }

  /** What was found of a report cut off mid-delivery. */
  private enum Verdict { IN_TRANSCRIPT, IN_PROMPT_SUBMITTED, NOWHERE, STILL_IN_PROMPT }

  /**
   * What the notifier works with; {@code screens} gives an agent's last screen (for the cooldown's digest),
   * {@code fleet} every agent as the fleet view knows it (those whose events came before the notifier listened).
   */
  public record Parts(ActionSettings settings, OutboxStore outbox, PaneTyper typer, PaneTyper.Tmux tmux,
      ActionGate gate, Function<PaneId, CompletionStage<Optional<String>>> screens,
      Supplier<CompletionStage<List<AgentStatus>>> fleet,
      Optional<ActorRef<Journal.Command>> journal, Optional<ActorRef<People.Command>> people,
      ActionObserver observer, Clock clock) { }

  /** A need reported to a PM, escalated to people if the agent is still in that state after escalate-after. */
  private record Escalation(long reportId, String session, String paneId, String reason, String line,
      Instant reportedAt) { }

  /** One agent as the notifier follows it. */
  private record Tracked(AgentPane agent, AgentState state, Instant since, Instant discovered, boolean noted) {
    Tracked with(AgentState next, Instant at) {
      return new Tracked(agent, next, at, discovered, false);
    }

    Tracked notedNow() {
      return new Tracked(agent, state, since, discovered, true);
    }
  }

  public static Behavior<Command> create(Parts parts) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, parts.settings().pmReports().interval());
      return new Notifier(context, parts);
    }));
  }

  /** How long a report cut off mid-delivery waits for its PM's pane to be discovered again before it is re-sent. */
  static final Duration UNSEEN_PM_PATIENCE = Duration.ofMinutes(2);

  private static final Set<AgentState> NEEDS_ATTENTION = Set.of(AgentState.WAITING, AgentState.IDLE,
      AgentState.UNSUBMITTED, AgentState.CRASHED, AgentState.ERROR);

  private final Parts parts;
  private final ActionLog actions;
  private final Accounts accounts;
  private final ActionSettings.PmReports settings;
  private final Map<AgentId, Tracked> agents = new HashMap<>();
  private final Set<String> busy = new HashSet<>(); // sessions with a delivery or a check under way
  private final Map<String, String> lastNotice = new HashMap<>(); // session -> last deferral journalled
  private final List<Escalation> escalations = new ArrayList<>();
  private final Map<String, Integer> teamIdleSent = new HashMap<>(); // session -> escalations of this idle spell
  private boolean seeded;
  private boolean seeding;
  private Instant lastPrune;

  private Notifier(ActorContext<Command> context, Parts parts) {
    super(context);
    context.setLoggerName(Notifier.class);
    this.parts = parts;
    this.accounts = new Accounts(parts.settings().rateLimit().accounts());
    this.actions = new ActionLog("pm-report", parts.journal(), parts.observer(), parts.clock(), context.getLog());
    this.settings = parts.settings().pmReports();
    context.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class,
        context.messageAdapter(AgentEvent.class, Event::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> onEvent(e.event()))
        .onMessage(Screened.class, this::onScreened)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Typed.class, this::onTyped)
        .onMessage(Checked.class, this::onChecked)
        .onMessage(Seeded.class, this::onSeeded)
        .onMessage(Acknowledge.class, this::onAcknowledge)
        .onSignal(PostStop.class, signal -> {
          parts.outbox().close();
          return this;
        })
        .build();
  }

  // --- noting needs

  private Behavior<Command> onEvent(AgentEvent event) {
    AgentId id = event.agent().key();
    Tracked known = agents.get(id);
    Instant at = event.at();
    if (event instanceof AgentEvent.AgentGone) {
      agents.remove(id);
      // A pane respawned (by recovery, or by hand) runs a new process: the monitor discovers it, then tells the
      // old one gone. The pane did not close: its crash, if it crashed, is what the PM hears about.
      boolean respawned = agents.keySet().stream().anyMatch(other -> other.pane().equals(id.pane()));
      if (!respawned) {
        need(event.agent(), Reason.MISSING, "");
      }
      return this;
    }
    if (known == null) {
      known = new Tracked(event.agent(), AgentState.UNKNOWN, at, at, false);
    }
    if (event instanceof AgentEvent.StateChanged changed && agents.containsKey(id)
        && known.state() == changed.to()) {
      // already known in this state from the fleet's snapshot: the event that put it there, late
      agents.put(id, new Tracked(event.agent(), known.state(), known.since(), known.discovered(), known.noted()));
    } else if (event instanceof AgentEvent.StateChanged changed) {
      if (known.noted() && known.state() == changed.from() && NEEDS_ATTENTION.contains(changed.from())) {
        parts.observer().waited(changed.from().wireName(), Duration.between(known.since(), at));
      }
      Tracked next = known.with(changed.to(), at);
      agents.put(id, next); // the new state, before need() judges it (rate-limited no more, say)
      if (changed.from() == AgentState.RATE_LIMITED && changed.to() != AgentState.RATE_LIMITED) {
        need(event.agent(), Reason.BACK, "now " + changed.to());
      }
      Reason now = needOf(changed.to());
      if (now != null) {
        need(event.agent(), now, changed.evidence().isEmpty() ? "" : changed.evidence().get(0).text());
        next = next.notedNow();
      }
      agents.put(id, next);
    } else if (event instanceof AgentEvent.FlagChanged flagged) {
      if (flagged.flag() == AgentFlag.STALLED && flagged.on()) {
        need(event.agent(), Reason.STALLED, "");
      }
      agents.put(id, known);
    } else {
      agents.put(id, new Tracked(event.agent(), known.state(), known.since(), known.discovered(), known.noted()));
    }
    return this;
  }

  private static Reason needOf(AgentState state) {
    return switch (state) {
      case WAITING -> Reason.WAITING;
      case CRASHED -> Reason.CRASHED;
      case ERROR -> Reason.ERROR;
      default -> null;
    };
  }

  // The agents discovered before the notifier listened (the monitor may start publishing first): taken from the
  // fleet view as if their state had just changed, unless an event about them came meanwhile.
  private Behavior<Command> onSeeded(Seeded seeded) {
    seeding = false;
    this.seeded = true;
    if (seeded.failure() != null) {
      getContext().getLog().warn("the fleet did not tell its agents ({}): the PM reports know the agents from their "
          + "next events only", seeded.failure().getMessage());
      return this;
    }
    Instant now = parts.clock().instant();
    for (AgentStatus status : seeded.agents()) {
      AgentId id = status.agent().key();
      if (agents.containsKey(id)) {
        continue;
      }
      agents.put(id, new Tracked(status.agent(), status.state(), now, now, false));
      Reason need = needOf(status.state());
      if (need != null) {
        need(status.agent(), need, status.evidence().isEmpty() ? "" : status.evidence().get(0).text());
        agents.put(id, agents.get(id).notedNow());
      }
    }
    return this;
  }

  // Idle and unsubmitted count once they lasted: a fresh agent idle within grace of its discovery has had no
  // work yet to finish; a prompt typed a moment ago may be sent in a moment.
  private void noteLasting(Instant now) {
    for (Map.Entry<AgentId, Tracked> entry : agents.entrySet()) {
      Tracked t = entry.getValue();
      if (t.noted()) {
        continue;
      }
      boolean idle = t.state() == AgentState.IDLE && !now.isBefore(t.discovered().plus(settings.grace()));
      boolean unsubmitted = t.state() == AgentState.UNSUBMITTED && !now.isBefore(t.since().plus(settings.grace()));
      if (idle || unsubmitted) {
        need(t.agent(), idle ? Reason.IDLE : Reason.UNSUBMITTED, "");
        entry.setValue(t.notedNow());
      }
    }
  }

  private void need(AgentPane agent, Reason reason, String detail) {
    if (agent.role() == Role.PM) {
      return; // a PM never gets reports about itself
    }
    Tracked known = agents.get(agent.key());
    if (known != null && known.state() == AgentState.RATE_LIMITED && reason != Reason.BACK) {
      return; // waited out, not reported
    }
    Optional<String> account = reason == Reason.BACK ? accounts.of(agent) : Optional.empty();
    if (account.isPresent()) { // one line per account: the newest lists every agent of it that is back
      List<String> back = agents.values().stream().filter(t -> accounts.of(t.agent()).equals(account)
          && t.state() != AgentState.RATE_LIMITED).map(t -> t.agent().pane().windowName()).sorted().toList();
      String line = "account " + account.get() + ": back from its rate limit: " + String.join(", ", back);
      self(new Screened(agent, "account:" + account.get(), reason, line, Optional.of(line)));
      return;
    }
    String line = agent.pane().windowName() + " (" + agent.pane().target() + ", " + agent.paneId() + "): "
        + reason.words() + (detail.isBlank() ? "" : ": " + shorten(detail));
    getContext().pipeToSelf(parts.screens().apply(agent.paneId()), (screen, failure) -> new Screened(agent,
        agent.paneId().value(), reason, line, failure == null ? screen : Optional.empty()));
  }

  private void self(Screened screened) {
    getContext().getSelf().tell(screened);
  }

  private Behavior<Command> onScreened(Screened screened) {
    AgentPane agent = screened.agent();
    String digest = digest(screened.reason() + "\n" + screened.screen().orElse(screened.line()));
    Instant now = parts.clock().instant();
    try {
      Duration cooldown = settings.cooldowns().getOrDefault(screened.reason().cooldownKey(), Duration.ZERO);
      Optional<Instant> last = parts.outbox().lastDelivered(screened.subject(), screened.reason().wireName(),
          digest);
      if (last.isPresent() && now.isBefore(last.get().plus(cooldown))) {
        action(agent.paneId().value(), "suppressed", "cooldown: the same was reported at " + last.get(),
            Map.of("reason", screened.reason().wireName(), "line", screened.line()));
        return this;
      }
      parts.outbox().add(agent.pane().sessionName(), screened.subject(), screened.reason().wireName(), digest,
          screened.line(), now);
    } catch (SQLException e) {
      getContext().getLog().warn("the outbox cannot be written ({}): not reported: {}", e.getMessage(),
          screened.line());
    }
    return this;
  }

  // --- delivering

  private Behavior<Command> onTick() {
    if (!seeded) {
      // at the first tick, long after the notifier subscribed: what the fleet knows by now includes every agent
      // whose events came before; nothing is delivered until it is known (the PM among them)
      if (!seeding) {
        seeding = true;
        getContext().pipeToSelf(parts.fleet().get(), Seeded::new);
      }
      return this;
    }
    Instant now = parts.clock().instant();
    noteLasting(now);
    escalate(now);
    teamIdle(now);
    prune(now);
    try {
      // in flight with no delivery under way: cut off (a stop, a crash) or failed; judged before anything new
      for (OutboxStore.Report report : parts.outbox().inFlight()) {
        if (!busy.contains(report.session())) {
          guarded(report.session(), () -> check(report));
        }
      }
      for (String session : parts.outbox().sessionsWithPending()) {
        if (!busy.contains(session)) {
          guarded(session, () -> deliver(session, parts.outbox().pending(session), now));
        }
      }
    } catch (SQLException e) {
      getContext().getLog().warn("the outbox cannot be read ({}): reports wait", e.getMessage());
    }
    return this;
  }

  // What ended longer ago than any cooldown or escalation can look back goes, once an hour.
  private void prune(Instant now) {
    if (lastPrune != null && now.isBefore(lastPrune.plus(Duration.ofHours(1)))) {
      return;
    }
    lastPrune = now;
    Duration longest = settings.cooldowns().values().stream().max(Duration::compareTo).orElse(Duration.ZERO)
        .plus(parts.settings().people().escalateAfter()).plus(Duration.ofHours(1));
    try {
      parts.outbox().prune(now.minus(longest));
    } catch (SQLException e) {
      getContext().getLog().warn("the outbox cannot be pruned ({})", e.getMessage());
    }
  }

  private interface Step {
    void run() throws SQLException;
  }

  // One session's trouble (a pane gone, a bad row) must not stop the others' reports, nor restart the actor.
  private void guarded(String session, Step step) {
    try {
      step.run();
    } catch (SQLException | RuntimeException e) {
      busy.remove(session);
      getContext().getLog().warn("PM reports of session {}: {}", session, e.toString());
    }
  }

  private void deliver(String session, List<OutboxStore.Entry> pending, Instant now) throws SQLException {
    Optional<Tracked> pm = agents.values().stream()
        .filter(t -> t.agent().role() == Role.PM && t.agent().pane().sessionName().equals(session)).findFirst();
    String noPm = pm.isEmpty() ? "no PM in the session: reported here only" : null;
    String held = parts.settings().dryRun() ? "dry-run" : parts.gate().paused() ? "paused" : null;
    if (held != null && !held.equals("dry-run")) {
      notice(session, pm, "held", held + ": " + pending.size() + " entr(y/ies) wait", pending);
      return;
    }
    if (noPm != null || held != null) {
      OutboxStore.Report report = parts.outbox().reportNow(session, pm.map(t -> t.agent().paneId().value())
          .orElse(""), pending, id -> ReportText.compose(id, session, pending), now);
      if (noPm != null) {
        parts.people().ifPresent(people -> people.tell(new People.Notify("report", session, null, report.text())));
      }
      action(report.pmPane().isEmpty() ? null : report.pmPane(), noPm != null ? "reported" : "dry-run",
          noPm != null ? noPm : "dry-run: would have typed this into the PM's prompt",
          Map.of("session", session, "report", report.id(), "text", report.text()));
      return;
    }
    Tracked thePm = pm.get();
    if (thePm.state() != AgentState.IDLE) {
      notice(session, pm, "deferred", "the PM is " + thePm.state() + ": the report waits for its turn to end",
          pending);
      return;
    }
    OutboxStore.Report report = parts.outbox().begin(session, thePm.agent().paneId().value(), pending,
        id -> ReportText.compose(id, session, pending), now);
    busy.add(session);
    getContext().pipeToSelf(parts.typer().type(thePm.agent().paneId(), thePm.agent().kind(), report.text()),
        (outcome, failure) -> new Typed(report, outcome, failure));
  }

  private Behavior<Command> onTyped(Typed typed) {
    OutboxStore.Report report = typed.report();
    Instant now = parts.clock().instant();
    busy.remove(report.session());
    try {
      if (typed.outcome() instanceof PaneTyper.Outcome.Delivered delivered) {
        parts.outbox().delivered(report.id(), now);
        lastNotice.remove(report.session());
        for (OutboxStore.Entry entry : parts.outbox().entriesOf(report.id())) {
          escalations.add(new Escalation(report.id(), report.session(), entry.paneId(), entry.reason(), entry.line(), now));
        }
        action(report.pmPane(), "delivered", "typed into the PM's prompt and submitted",
            Map.of("session", report.session(), "report", report.id(), "text", report.text(),
                "attempts", delivered.attempts()));
      } else if (typed.outcome() instanceof PaneTyper.Outcome.Held held) {
        parts.outbox().returned(report.id(), held.reason(), now);
        notice(report.session(), agents.values().stream().filter(t -> t.agent().paneId().value()
            .equals(report.pmPane())).findFirst(), "deferred", held.reason(), parts.outbox().pending(report.session()));
      } else {
        // the text may be on the PM's screen: judged from it, never typed again blindly
        String why = typed.failure() != null ? String.valueOf(typed.failure().getMessage())
            : ((PaneTyper.Outcome.Failed) typed.outcome()).reason();
        action(report.pmPane(), "failed", why, Map.of("session", report.session(), "report", report.id()));
        check(report);
      }
    } catch (SQLException e) {
      getContext().getLog().warn("the outbox cannot be written ({}) after report {}", e.getMessage(), report.id());
    }
    return this;
  }

  private Behavior<Command> onAcknowledge(Acknowledge ack) {
    Optional<String> state;
    try {
      state = parts.outbox().reportState(ack.reportId());
    } catch (SQLException e) {
      getContext().getLog().warn("the outbox cannot be read ({}): report {} not acknowledged", e.getMessage(),
          ack.reportId());
      ack.replyTo().tell(new Acknowledged(ack.reportId(), Optional.empty(), 0, "the outbox cannot be read"));
      return this;
    }
    int before = escalations.size();
    escalations.removeIf(e -> e.reportId() == ack.reportId());
    int stopped = before - escalations.size();
    if (state.isPresent()) {
      action(null, "acknowledged", "the PM acknowledged report " + ack.reportId()
          + (stopped > 0 ? ": " + stopped + " escalation(s) stopped" : ""),
          Map.of("report", ack.reportId(), "escalationsStopped", stopped));
    }
    ack.replyTo().tell(new Acknowledged(ack.reportId(), state, stopped, null));
    return this;
  }

  // Every agent of a session idle past team-idle-after: one escalation, a second one as long after; any agent
  // leaving idle starts it over.
  private void teamIdle(Instant now) {
    Map<String, List<Tracked>> bySession = new HashMap<>();
    agents.values().stream().filter(t -> t.agent().role() != Role.PM)
        .forEach(t -> bySession.computeIfAbsent(t.agent().pane().sessionName(), s -> new ArrayList<>())
            .add(t));
    for (Map.Entry<String, List<Tracked>> session : bySession.entrySet()) {
      Optional<Instant> idleSince = session.getValue().stream().allMatch(t -> t.state() == AgentState.IDLE)
          ? session.getValue().stream().map(Tracked::since).max(Instant::compareTo) : Optional.empty();
      if (idleSince.isEmpty()) {
        teamIdleSent.remove(session.getKey());
        continue;
      }
      int sent = teamIdleSent.getOrDefault(session.getKey(), 0);
      Duration after = settings.teamIdleAfter();
      if (sent < 2 && !now.isBefore(idleSince.get().plus(after.multipliedBy(sent + 1L)))) {
        teamIdleSent.put(session.getKey(), sent + 1);
        long minutes = Duration.between(idleSince.get(), now).toMinutes();
        String line = "the whole team (" + session.getValue().size() + " agent(s)) has been idle for " + minutes
            + " min: give them work" + (sent == 1 ? " (second notice)" : "");
        try {
          parts.outbox().add(session.getKey(), "-", Reason.TEAM_IDLE.wireName(), "team-" + sent, line, now);
        } catch (SQLException e) {
          getContext().getLog().warn("the outbox cannot be written ({}): not reported: {}", e.getMessage(), line);
        }
        parts.people().ifPresent(people -> people.tell(new People.Notify("team-idle", session.getKey(), null,
            "[tmux-orc] session " + session.getKey() + ": " + line)));
      }
    }
  }

  // Escalated once: the agent is still in the state reported escalate-after ago (the PM did not act on it).
  private void escalate(Instant now) {
    Duration after = parts.settings().people().escalateAfter();
    Iterator<Escalation> waiting = escalations.iterator();
    while (waiting.hasNext()) {
      Escalation e = waiting.next();
      Optional<Tracked> agent = agents.values().stream()
          .filter(t -> t.agent().paneId().value().equals(e.paneId())).findFirst();
      boolean still = agent.isPresent() && agent.get().state().wireName().equals(e.reason())
          && !agent.get().since().isAfter(e.reportedAt());
      if (!still) {
        waiting.remove();
      } else if (!now.isBefore(e.reportedAt().plus(after))) {
        waiting.remove();
        String text = "[tmux-orc] session " + e.session() + ": reported to its PM " + after.toMinutes()
            + " min ago and still so: " + e.line();
        parts.people().ifPresent(people -> people.tell(new People.Notify("escalation", e.session(), e.paneId(),
            text)));
        action(e.paneId(), "escalated", "the PM did not act on it within " + after.toMinutes() + " min",
            Map.of("session", e.session(), "line", e.line()));
      }
    }
  }

  // A report in flight with no delivery under way: cut off. Its number on the PM's screen tells what happened.
  private void check(OutboxStore.Report report) throws SQLException {
    Instant now = parts.clock().instant();
    if (report.pmPane().isBlank()) { // a report to the journal only: nothing was typed anywhere
      parts.outbox().delivered(report.id(), now);
      return;
    }
    Optional<PaneId> pane = PaneId.parse(report.pmPane());
    Optional<Tracked> there = pane.flatMap(p -> agents.values().stream().filter(t -> t.agent().paneId().equals(p))
        .findFirst());
    if (pane.isPresent() && there.isEmpty() && now.isBefore(report.startedAt().plus(UNSEEN_PM_PATIENCE))) {
      return; // not discovered yet (a restart): its screen is judged once it is known
    }
    // pane ids are reused after a tmux server restart: only the session's PM is looked at, let alone typed into
    boolean stillPm = there.isPresent() && there.get().agent().role() == Role.PM
        && there.get().agent().pane().sessionName().equals(report.session());
    if (!stillPm) {
      parts.outbox().returned(report.id(), "its PM pane is no longer the session's PM", now);
      action(report.pmPane(), "returned", "a report cut off mid-delivery: its pane is no longer the PM, sent again",
          Map.of("session", report.session(), "report", report.id()));
      return;
    }
    PaneId pm = pane.get();
    boolean hold = parts.settings().dryRun() || parts.gate().paused();
    busy.add(report.session());
    String marker = ReportText.marker(report.id());
    CompletionStage<Verdict> verdict = parts.tmux().run(List.of(TmuxCommand.capturePane(pm.value()),
            TmuxCommand.of("capture-pane", "-p", "-J", "-S", "-", "-t", pm.value())))
        .thenCompose(replies -> {
          Optional<String> input = parts.typer().promptInput(replies.get(0).text(), kindOf(pm));
          if (input.isPresent() && input.get().startsWith(marker)) {
            // ours, typed and not sent: Enter, unless actions are held (then it waits there)
            return hold ? CompletableFuture.completedFuture(Verdict.STILL_IN_PROMPT)
                : parts.typer().submit(pm, kindOf(pm), input.get()).thenApply(outcome ->
                    outcome instanceof PaneTyper.Outcome.Delivered ? Verdict.IN_PROMPT_SUBMITTED
                        : Verdict.STILL_IN_PROMPT);
          }
          boolean seen = replies.get(1).text().contains(marker);
          return CompletableFuture.completedFuture(seen ? Verdict.IN_TRANSCRIPT : Verdict.NOWHERE);
        });
    getContext().pipeToSelf(verdict, (found, failure) -> new Checked(report, found, failure));
  }


  private Behavior<Command> onChecked(Checked checked) {
    OutboxStore.Report report = checked.report();
    busy.remove(report.session());
    Instant now = parts.clock().instant();
    try {
      if (checked.failure() != null || checked.verdict() == Verdict.STILL_IN_PROMPT) {
        return this; // looked at again at the next tick
      }
      if (checked.verdict() == Verdict.NOWHERE) {
        parts.outbox().returned(report.id(), "cut off before it reached the PM", now);
        action(report.pmPane(), "returned", "a report cut off mid-delivery is not on the PM's screen: sent again",
            Map.of("session", report.session(), "report", report.id()));
      } else {
        parts.outbox().delivered(report.id(), now);
        action(report.pmPane(), "delivered", checked.verdict() == Verdict.IN_TRANSCRIPT
                ? "a report cut off mid-delivery had reached the PM" : "a report cut off in the PM's prompt, submitted",
            Map.of("session", report.session(), "report", report.id()));
      }
    } catch (SQLException e) {
      getContext().getLog().warn("the outbox cannot be written ({}) after checking report {}", e.getMessage(),
          report.id());
    }
    return this;
  }

  private AgentKind kindOf(PaneId pane) {
    return agents.values().stream().filter(t -> t.agent().paneId().equals(pane)).map(t -> t.agent().kind())
        .findFirst().orElse(AgentKind.CLAUDE);
  }

  // A deferral is journalled when what waits changed, not at every tick.
  private void notice(String session, Optional<Tracked> pm, String outcome, String why,
      List<OutboxStore.Entry> pending) {
    String key = outcome + why + pending.stream().map(e -> e.id() + ":" + e.count()).toList();
    if (!key.equals(lastNotice.put(session, key))) {
      action(pm.map(t -> t.agent().paneId().value()).orElse(null), outcome, why,
          Map.of("session", session, "entries", pending.size()));
    }
  }

  private void action(String paneId, String outcome, String why, Map<String, Object> fields) {
    actions.record(paneId, outcome, why, fields);
  }


  private static String digest(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String shorten(String text) {
    String one = text.strip().replaceAll("\\s+", " ");
    return one.length() <= 80 ? one : one.substring(0, 79) + "…";
  }
}
