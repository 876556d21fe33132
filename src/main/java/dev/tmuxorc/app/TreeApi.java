package dev.tmuxorc.app;

import dev.tmuxorc.actions.ActionGate;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.actions.Notifier;
import dev.tmuxorc.actions.ActionLog;
import dev.tmuxorc.actions.OutboxStore;
import dev.tmuxorc.actions.PaneTyper;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.agent.Explanation;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.cache.CacheStats;
import dev.tmuxorc.cache.PaneCache;
import dev.tmuxorc.config.Settings;
import dev.tmuxorc.config.Version;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.fleet.AgentFilter;
import dev.tmuxorc.fleet.FleetSummary;
import dev.tmuxorc.fleet.FleetView;
import dev.tmuxorc.fleet.SessionSummary;
import dev.tmuxorc.http.Acted;
import dev.tmuxorc.http.ApiBackend;
import dev.tmuxorc.journal.Journal;
import dev.tmuxorc.journal.JournalCounters;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.journal.JournalQuery;
import dev.tmuxorc.journal.JournalStore;
import dev.tmuxorc.journal.JournalStats;
import dev.tmuxorc.monitor.CycleReport;
import dev.tmuxorc.monitor.CycleStats;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.tmux.PoolStats;
import dev.tmuxorc.tmux.TmuxPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.util.ByteString;

/**
 * The HTTP API's answers, from the running tree: one ask to the FleetView per query (never one per agent), the
 * journal for the event backlog, the metrics registry, the readiness flag, the action gate.
 */
final class TreeApi implements ApiBackend {

  private final ActorSystem<?> system;
  private final Guardian.Parts parts;
  private final Settings settings;
  private final ActorRef<Journal.Command> journal; // null without a journal
  private final JournalCounters journalCounters; // null without a journal
  private final Path journalFile;
  private final ActionGate gate;
  private final Clock clock;
  private final Instant started;

  TreeApi(ActorSystem<?> system, Guardian.Parts parts, Settings settings,
      ActorRef<Journal.Command> journal, JournalCounters journalCounters, Path journalFile, Clock clock) {
    this.system = system;
    this.parts = parts;
    this.settings = settings;
    this.journal = journal;
    this.journalCounters = journalCounters;
    this.journalFile = journalFile;
    this.gate = parts.gate();
    this.clock = clock;
    this.started = clock.instant();
  }

  private <Q, R> CompletableFuture<R> ask(RecipientRef<Q> to, Function<ActorRef<R>, Q> question) {
    return AskPattern.ask(to, question::apply, settings.askTimeout(), system.scheduler()).toCompletableFuture();
  }

  @Override
  public CompletionStage<Map<String, Object>> status() {
    CompletableFuture<FleetSummary> fleet = ask(parts.fleet(), FleetView.GetSummary::new);
    CompletableFuture<CycleStats> cycles = ask(parts.monitor(), Monitor.GetCycleStats::new);
    CompletableFuture<PoolStats> pool = ask(parts.pool(), TmuxPool.GetStats::new);
    CompletableFuture<List<CacheStats>> cacheStats = ask(parts.cache(), PaneCache.GetStats::new);
    CompletableFuture<Optional<JournalStats>> journalStats = journal == null
        ? CompletableFuture.completedFuture(Optional.empty())
        : this.<Journal.Command, JournalStats>ask(journal, Journal.GetStats::new).thenApply(Optional::of);
    // on the blocking dispatcher: it reads the outbox's counts from the journal file
    return CompletableFuture.allOf(fleet, cycles, pool, cacheStats, journalStats).thenApplyAsync(all ->
        status(fleet.join(), cycles.join(), pool.join(), journalStats.join(), cacheStats.join()),
        system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
  }

  private Map<String, Object> status(FleetSummary fleet, CycleStats cycles, PoolStats pool,
      Optional<JournalStats> journalStats, List<CacheStats> cacheStats) {
    Instant now = clock.instant();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("version", Version.current());
    status.put("startedAt", started.toString());
    status.put("uptimeSeconds", Duration.between(started, now).toSeconds());
    status.put("tmux", settings.tmux().server().describe());
    // what a person adds to tmux to reach the same server: `tmux -L name attach -t %3`
    status.put("tmuxArgs", settings.tmux().server().selectArgs());
    status.put("strategy", settings.monitoring().strategy().wireName());
    status.put("ready", parts.readiness().ready());
    status.put("notReadyReason", parts.readiness().problem());
    status.put("paused", gate.paused());
    status.put("pausedUntil", gate.pausedUntil().map(Instant::toString).orElse(null));
    status.put("cycles", cycles(cycles, fleet.lastReport()));
    Map<String, Object> agents = new LinkedHashMap<>();
    agents.put("total", fleet.agents());
    agents.put("byState", fleet.byState());
    agents.put("byHealth", fleet.byHealth());
    agents.put("byKind", fleet.byKind());
    agents.put("byRole", fleet.byRole());
    agents.put("hooks", fleet.hooks());
    status.put("agents", agents);
    status.put("lastDiscovery", fleet.lastListing() == null ? null : fleet.lastListing().toString());
    status.put("pool", pool);
    status.put("caches", cacheStats);
    if (journalStats.isPresent()) {
      status.put("journal", journal(journalStats.get()));
    } else {
      Map<String, Object> off = new LinkedHashMap<>();
      off.put("enabled", false);
      off.put("path", journalFile == null ? null : journalFile.toString());
      status.put("journal", off);
    }
    if (journalFile != null) {
      OutboxStore.counts(journalFile).ifPresent(counts -> status.put("outbox", counts));
    }
    status.put("healthLimits", healthLimits(settings.health()));
    return status;
  }

  // The monitor's own limits, so that `health` judges it by the configuration it runs with.
  private static Map<String, Object> healthLimits(Settings.Health h) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("cycleP95MaxMs", h.cycleP95Max().toMillis());
    json.put("poolTimeoutsMax", h.poolTimeoutsMax());
    json.put("cacheHitRateMin", h.cacheHitRateMin());
    json.put("cacheMinLookups", h.cacheMinLookups());
    json.put("criticalAgentsMax", h.criticalAgentsMax());
    json.put("unresponsiveAgentsMax", h.unresponsiveAgentsMax());
    json.put("hooksSilentAgentsMax", h.hooksSilentAgentsMax());
    return json;
  }

  // By hand: the shared mapper knows no java.time types, and an ISO string is what the rest of the API shows.
  private static Map<String, Object> journal(JournalStats j) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("enabled", true);
    json.put("path", j.path());
    json.put("writable", j.writable());
    json.put("lastSeq", j.lastSeq());
    json.put("entries", j.entries());
    json.put("sizeBytes", j.sizeBytes());
    json.put("published", j.published());
    json.put("written", j.written());
    json.put("writeFailures", j.writeFailures());
    json.put("dropped", j.dropped());
    json.put("pending", j.pending());
    json.put("oldest", j.oldest() == null ? null : j.oldest().toString());
    json.put("lastError", j.lastError());
    return json;
  }

  // Totals since start, and the percentiles of the last report interval (null before the first report).
  private static Map<String, Object> cycles(CycleStats stats, CycleReport report) {
    Map<String, Object> cycles = new LinkedHashMap<>();
    cycles.put("total", stats.cycles());
    cycles.put("skipped", stats.skipped());
    cycles.put("failed", stats.failed());
    cycles.put("lastMs", CycleReport.ms(stats.last().toNanos()));
    cycles.put("meanMs", stats.cycles() == 0 ? 0 : CycleReport.ms(stats.total().toNanos() / stats.cycles()));
    cycles.put("captures", stats.captures());
    cycles.put("reusedScreens", stats.reusedScreens());
    cycles.put("p50Ms", report == null ? null : report.p50Ms());
    cycles.put("p95Ms", report == null ? null : report.p95Ms());
    cycles.put("p99Ms", report == null ? null : report.p99Ms());
    cycles.put("maxMs", report == null ? null : report.maxMs());
    cycles.put("reportAt", report == null ? null : report.at().toString());
    cycles.put("reportCycles", report == null ? 0 : report.cycles());
    return cycles;
  }

  @Override
  public CompletionStage<List<AgentView>> agents() {
    return this.<FleetView.Command, List<AgentStatus>>ask(parts.fleet(),
        replyTo -> new FleetView.GetAgents(AgentFilter.ALL, replyTo))
        .thenApply(statuses -> statuses.stream().map(AgentView::of).toList());
  }

  @Override
  public CompletionStage<ByteString> agentsJson(AgentFilter filter) {
    // Made on the asking thread from what the fleet view published: no message, no wait behind its mailbox.
    return CompletableFuture.completedFuture(parts.listing().json(filter, clock.instant()));
  }

  @Override
  public CompletionStage<Optional<AgentView>> agent(PaneId pane) {
    return this.<FleetView.Command, Optional<AgentStatus>>ask(parts.fleet(),
        replyTo -> new FleetView.GetAgent(pane, replyTo)).thenApply(status -> status.map(AgentView::of));
  }

  @Override
  public CompletionStage<Optional<String>> screen(PaneId pane) {
    return ask(parts.monitor(), replyTo -> new Monitor.GetScreen(pane, replyTo));
  }

  @Override
  public CompletionStage<Optional<Explanation>> explain(PaneId pane) {
    return ask(parts.monitor(), replyTo -> new Monitor.Explain(pane, replyTo));
  }

  @Override
  public CompletionStage<List<Map<String, Object>>> sessions() {
    return this.<FleetView.Command, List<SessionSummary>>ask(parts.fleet(), FleetView.GetSessions::new)
        .thenApply(sessions -> sessions.stream().map(s -> {
          Map<String, Object> json = new LinkedHashMap<>();
          json.put("name", s.name());
          json.put("id", s.id());
          json.put("windows", s.windows());
          json.put("panes", s.panes());
          json.put("agents", s.agents());
          json.put("byState", s.byState());
          return json;
        }).toList());
  }

  @Override
  public CompletionStage<List<JournalEntry>> eventsAfter(long seq, int limit) {
    if (journal == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    return ask(journal, replyTo -> new Journal.Read(seq, limit, replyTo));
  }

  // Off the actors' threads: the file is read on a connection of its own (JournalQuery).
  @Override
  public CompletionStage<List<Map<String, Object>>> journal(JournalStore.Filter filter) {
    if (journalFile == null) {
      return CompletableFuture.completedFuture(List.of());
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        return JournalQuery.entries(journalFile, filter);
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException("cannot read the journal " + journalFile + ": " + e.getMessage(), e);
      }
    }, system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
  }

  @Override
  public long lastSeq() {
    return journalCounters == null ? 0 : journalCounters.lastSeq();
  }

  @Override
  public boolean ready() {
    return parts.readiness().ready();
  }

  @Override
  public String notReadyReason() {
    String problem = parts.readiness().problem();
    return problem == null ? "" : problem;
  }

  @Override
  public String metrics() {
    return parts.metrics().scrape();
  }

  @Override
  public CompletionStage<Void> hook(HookEvent event, Optional<PaneId> pane, List<Integer> pids) {
    parts.monitor().tell(new Monitor.Hooked(event, pane, pids));
    return CompletableFuture.completedFuture(null);
  }

  /** The latest reports {@code GET /api/reports} lists. */
  static final int LATEST_REPORTS = 20;

  // Read from the file like the journal: a read-only connection of its own beside the notifier's.
  @Override
  public CompletionStage<Map<String, Object>> reports() {
    return CompletableFuture.supplyAsync(() -> {
      Optional<OutboxStore.Waiting> waiting = journalFile == null ? Optional.empty()
          : OutboxStore.waiting(journalFile, LATEST_REPORTS);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("enabled", waiting.isPresent());
      json.put("pmReports", parts.notifier().isPresent());
      List<Map<String, Object>> entries = new ArrayList<>();
      List<Map<String, Object>> reports = new ArrayList<>();
      waiting.ifPresent(w -> {
        for (int i = 0; i < w.entries().size(); i++) {
          OutboxStore.Entry e = w.entries().get(i);
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("id", e.id());
          entry.put("state", w.entryStates().get(i));
          entry.put("session", e.session());
          entry.put("paneId", "-".equals(e.paneId()) ? null : e.paneId());
          entry.put("reason", e.reason());
          entry.put("line", e.line());
          entry.put("count", e.count());
          entry.put("createdAt", e.createdAt().toString());
          entry.put("updatedAt", e.updatedAt().toString());
          entries.add(entry);
        }
        for (int i = 0; i < w.reports().size(); i++) {
          OutboxStore.Report r = w.reports().get(i);
          Map<String, Object> report = new LinkedHashMap<>();
          report.put("id", r.id());
          report.put("state", w.reportStates().get(i));
          report.put("session", r.session());
          report.put("pmPane", r.pmPane().isEmpty() ? null : r.pmPane());
          report.put("startedAt", r.startedAt().toString());
          report.put("text", r.text());
          reports.add(report);
        }
      });
      json.put("entries", entries);
      json.put("reports", reports);
      return json;
    }, system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
  }

  @Override
  public CompletionStage<Acted> message(PaneId pane, String text) {
    return this.<FleetView.Command, Optional<AgentStatus>>ask(parts.fleet(),
        replyTo -> new FleetView.GetAgent(pane, replyTo)).thenCompose(found -> {
          if (found.isEmpty()) {
            return CompletableFuture.completedFuture(Acted.of("unknown", "no agent in pane " + pane));
          }
          AgentStatus agent = found.get();
          Map<String, Object> fields = Map.of("paneId", pane.value(), "target", agent.agent().pane().target());
          if (parts.actions().dryRun()) {
            return CompletableFuture.completedFuture(messaged(pane, text, new Acted("dry-run", "dry-run: would have "
                + "typed the message; nothing was typed", fields)));
          }
          if (gate.paused()) {
            return CompletableFuture.completedFuture(messaged(pane, text, new Acted("paused", "actions are paused "
                + "until " + gate.pausedUntil().map(Instant::toString).orElse("now") + " (monitor pause): nothing "
                + "was typed", fields)));
          }
          return parts.typer().type(pane, agent.agent().kind(), text).handle((outcome, failure) -> {
            Acted acted;
            if (failure != null) {
              Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
              acted = new Acted("failed", "tmux failed: " + cause.getMessage(), fields);
            } else if (outcome instanceof PaneTyper.Outcome.Delivered delivered) {
              Map<String, Object> more = new LinkedHashMap<>(fields);
              more.put("attempts", delivered.attempts());
              acted = new Acted("delivered", "typed into the agent's prompt and submitted", more);
            } else if (outcome instanceof PaneTyper.Outcome.Held held) {
              acted = new Acted("held", held.reason() + ": nothing was typed (the prompt is only typed into when "
                  + "empty); try again later", fields);
            } else {
              PaneTyper.Outcome.Failed failed = (PaneTyper.Outcome.Failed) outcome;
              acted = new Acted("failed", failed.reason() + " (after " + failed.attempts() + " attempt(s))", fields);
            }
            return messaged(pane, text, acted);
          });
        });
  }

  // Each message is an Action in the journal (and so on /api/actions and the event stream) and in the metrics.
  private Acted messaged(PaneId pane, String text, Acted acted) {
    new ActionLog("message", Optional.ofNullable(journal), parts.metrics(), clock,
        org.slf4j.LoggerFactory.getLogger(TreeApi.class)).record(pane.value(), acted.outcome(), acted.detail(),
        Map.of("text", text.length() <= 200 ? text : text.substring(0, 199) + "…"));
    return acted;
  }

  @Override
  public CompletionStage<Acted> acknowledge(long reportId) {
    if (parts.notifier().isEmpty()) {
      return CompletableFuture.completedFuture(Acted.of("off", "PM reports are off "
          + "(tmux-orc.actions.pm-reports.enabled = false): there is no report to acknowledge"));
    }
    return this.<Notifier.Command, Notifier.Acknowledged>ask(parts.notifier().get(),
        replyTo -> new Notifier.Acknowledge(reportId, replyTo)).thenApply(ack -> {
          if (ack.problem() != null) {
            throw new IllegalStateException(ack.problem());
          }
          if (ack.reportState().isEmpty()) {
            return Acted.of("unknown", "no report " + reportId + " (pending_reports lists the latest)");
          }
          return new Acted("acknowledged", "report " + reportId + " acknowledged"
              + (ack.escalationsStopped() > 0 ? ": its escalation to people is stopped" : ""),
              Map.of("report", reportId, "state", ack.reportState().get(),
                  "escalationsStopped", ack.escalationsStopped()));
        });
  }

  @Override
  public CompletionStage<Instant> pause(Duration duration) {
    Instant until = clock.instant().plus(duration);
    gate.pauseUntil(until);
    record("MonitorPaused", Map.of("until", until.toString()));
    return CompletableFuture.completedFuture(until);
  }

  @Override
  public CompletionStage<Void> resume() {
    gate.resume();
    record("MonitorResumed", Map.of());
    return CompletableFuture.completedFuture(null);
  }

  // Pausing and resuming are decisions people make: the journal keeps them beside the events they explain.
  private void record(String type, Map<String, Object> json) {
    if (journal != null) {
      journal.tell(new Journal.Record(type, null, clock.instant(), json));
    }
  }
}
