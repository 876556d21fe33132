package dev.tmuxorc.fleet;

import com.github.benmanes.caffeine.cache.Cache;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.agent.HookFacts;
import dev.tmuxorc.cache.CacheLayer;
import dev.tmuxorc.cache.Caches;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentId;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import dev.tmuxorc.monitor.CycleReport;
import dev.tmuxorc.monitor.Monitor;
import dev.tmuxorc.monitor.Scan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.util.ByteString;

/**
 * The read model of the fleet: every agent's status, built from the {@link AgentEvent}s on the event stream
 * and the monitor's listings, so that a query (API, CLI, dashboard) is one message here and never one ask per
 * agent. Statuses live in the {@code agent_status} cache layer, sessions in {@code session_info}.
 *
 * <p>At each {@link CycleReport} it publishes a {@link FleetSample} (the counts by state and health), which the
 * journal keeps: the fleet's history.
 *
 * <p>{@code lastChange} is the later of the last state change and the window's last output as tmux reports it
 * ({@code window_activity}); the agents' own screen-by-screen history stays with them.
 */
public final class FleetView extends AbstractBehavior<FleetView.Command> {

  public sealed interface Command { }

  /** A full cycle's discovery: which agents exist, with their panes' latest facts. */
  public record Listed(Monitor.Listing listing) implements Command { }

  public record GetAgents(AgentFilter filter, ActorRef<List<AgentStatus>> replyTo) implements Command { }

  /** The agents that {@code filter} accepts as a JSON array of {@link dev.tmuxorc.agent.AgentView}s. */
  public record GetAgentsJson(AgentFilter filter, ActorRef<ByteString> replyTo) implements Command { }

  public record GetAgent(PaneId pane, ActorRef<Optional<AgentStatus>> replyTo) implements Command { }

  public record GetSessions(ActorRef<List<SessionSummary>> replyTo) implements Command { }

  public record GetSummary(ActorRef<FleetSummary> replyTo) implements Command { }

  private record Event(AgentEvent event) implements Command { }

  private record Report(CycleReport report) implements Command { }

  /** An agent's status, and the time it spent in the states it has left. */
  private record Tracked(AgentStatus status, Map<AgentState, Duration> past) { }

  /** An agent's JSON and the status it was made from: valid while that is still the agent's status. */
  private record Encoded(Tracked from, AgentJson json) { }

  private record SessionInfo(String name, String id, int windows, int panes) { }

  /** Agents that left are remembered this many at most, so that a late event does not bring one back. */
  static final int REMEMBERED_GONE = 4096;

  private static final Comparator<Tracked> BY_TARGET = Comparator.comparing(Tracked::status, Scan.BY_TARGET);

  public static Behavior<Command> create(Caches caches, Clock clock) {
    return Behaviors.setup(context -> {
      var stream = context.getSystem().eventStream();
      stream.tell(new EventStream.Subscribe<>(AgentEvent.class, context.messageAdapter(AgentEvent.class, Event::new)));
      stream.tell(new EventStream.Subscribe<>(CycleReport.class,
          context.messageAdapter(CycleReport.class, Report::new)));
      return new FleetView(context, caches.layer(CacheLayer.AGENT_STATUS), caches.layer(CacheLayer.SESSION_INFO),
          clock);
    });
  }

  private final Cache<AgentId, Tracked> statuses;
  private final Cache<String, SessionInfo> sessions;
  private final Clock clock;
  private final Map<PaneId, AgentId> byPane = new HashMap<>();
  private final Set<AgentId> gone = new LinkedHashSet<>();
  private final Map<AgentId, Encoded> encoded = new HashMap<>();
  private List<AgentId> order; // the agents in target order for the JSON listing; null when to be sorted again
  private Instant lastListing;
  private CycleReport lastReport;

  private FleetView(ActorContext<Command> context, Cache<AgentId, Tracked> statuses,
      Cache<String, SessionInfo> sessions, Clock clock) {
    super(context);
    this.statuses = statuses;
    this.sessions = sessions;
    this.clock = clock;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> onEvent(e.event()))
        .onMessage(Report.class, r -> onReport(r.report()))
        .onMessage(Listed.class, l -> onListed(l.listing()))
        .onMessage(GetAgents.class, this::onGetAgents)
        .onMessage(GetAgentsJson.class, this::onGetAgentsJson)
        .onMessage(GetAgent.class, this::onGetAgent)
        .onMessage(GetSessions.class, this::onGetSessions)
        .onMessage(GetSummary.class, this::onGetSummary)
        .build();
  }

  private Behavior<Command> onEvent(AgentEvent event) {
    AgentId id = event.agent().key();
    if (event instanceof AgentEvent.AgentGone) {
      remove(id);
      return this;
    }
    if (gone.contains(id)) {
      return this; // a late event of an agent that left
    }
    Tracked tracked = tracked(id).orElseGet(() -> fresh(event.agent(), event.at()));
    AgentStatus s = tracked.status();
    if (event instanceof AgentEvent.StateChanged changed) {
      Map<AgentState, Duration> past = new EnumMap<>(AgentState.class);
      past.putAll(tracked.past());
      past.merge(s.state(), nonNegative(Duration.between(s.since(), changed.at())), Duration::plus);
      tracked = new Tracked(new AgentStatus(changed.agent(), changed.to(), changed.from(), s.health(), changed.at(),
          later(s.lastChange(), changed.at()), changed.evidence(), changed.resetAt(), Map.of(), s.hooks()), past);
    } else if (event instanceof AgentEvent.HealthChanged changed) {
      tracked = new Tracked(new AgentStatus(changed.agent(), s.state(), s.previousState(), changed.to(), s.since(),
          s.lastChange(), s.evidence(), s.resetAt(), Map.of(), s.hooks()), tracked.past());
    } else if (event instanceof AgentEvent.HookReceived hooked) {
      tracked = new Tracked(s.withHooks(Optional.of(s.hooks().map(h -> h.with(hooked.hook()))
          .orElseGet(() -> HookFacts.first(hooked.hook())))), tracked.past());
    } else if (event instanceof AgentEvent.FlagChanged flagged) {
      AgentStatus flaggedStatus = new AgentStatus(s.agent(), s.state(), s.previousState(), s.health(), s.since(),
          s.lastChange(), flagged.evidence(), s.resetAt(), Map.of(), s.hooks().map(h -> h.with(flagged.flag(),
          flagged.on())));
      tracked = new Tracked(flaggedStatus, tracked.past());
    }
    put(id, tracked);
    return this;
  }

  // A sample of the fleet at each report: the report's interval paces the dashboard's history too.
  private Behavior<Command> onReport(CycleReport report) {
    lastReport = report;
    List<AgentStatus> all = all();
    int attention = (int) all.stream().filter(s -> FleetSample.ATTENTION.contains(s.state())).count();
    getContext().getSystem().eventStream().tell(new EventStream.Publish<>(new FleetSample(report.at(), all.size(),
        count(all, AgentState.values(), AgentStatus::state, AgentState::wireName),
        count(all, Health.values(), AgentStatus::health, Health::wireName), attention)));
    return this;
  }

  private Behavior<Command> onListed(Monitor.Listing listing) {
    lastListing = listing.at();
    Set<AgentId> listed = new LinkedHashSet<>();
    for (AgentPane agent : listing.agents()) {
      AgentId id = agent.key();
      listed.add(id);
      gone.remove(id);
      Optional<Tracked> known = tracked(id);
      if (known.isEmpty()) {
        put(id, fresh(agent, listing.at()));
      } else if (!agent.equals(known.get().status().agent())) {
        AgentStatus s = known.get().status();
        put(id, new Tracked(new AgentStatus(agent, s.state(), s.previousState(), s.health(), s.since(),
            later(s.lastChange(), agent.pane().windowActivity()), s.evidence(), s.resetAt(), Map.of(), s.hooks()),
            known.get().past()));
      }
    }
    for (AgentId id : List.copyOf(statuses.asMap().keySet())) {
      if (!listed.contains(id)) {
        remove(id);
      }
    }
    rememberSessions(listing.panes());
    return this;
  }

  private void rememberSessions(List<Pane> panes) {
    Map<String, List<Pane>> bySession = new LinkedHashMap<>();
    panes.forEach(p -> bySession.computeIfAbsent(p.sessionName(), name -> new ArrayList<>()).add(p));
    sessions.asMap().keySet().retainAll(bySession.keySet());
    bySession.forEach((name, ps) -> sessions.put(name, new SessionInfo(name, ps.get(0).sessionId(),
        (int) ps.stream().mapToInt(Pane::windowIndex).distinct().count(), ps.size())));
  }

  private Behavior<Command> onGetAgents(GetAgents get) {
    Instant now = clock.instant();
    List<AgentStatus> agents = new ArrayList<>();
    for (Tracked value : statuses.asMap().values()) {
      AgentStatus status = withTimeInState(value, now);
      if (get.filter().matches(status)) {
        agents.add(status);
      }
    }
    agents.sort(Scan.BY_TARGET);
    get.replyTo().tell(agents);
    return this;
  }

  // Each agent is serialized again only when its status changed since the last listing (Tracked is replaced on
  // every change); the answer is the kept bytes, joined without copying them. The target order is kept too, and
  // sorted again only when an agent came, left or moved.
  private Behavior<Command> onGetAgentsJson(GetAgentsJson get) {
    if (order == null) {
      List<Map.Entry<AgentId, Tracked>> all = new ArrayList<>(statuses.asMap().entrySet());
      all.sort(Map.Entry.comparingByValue(BY_TARGET));
      order = all.stream().map(Map.Entry::getKey).toList();
    }
    Instant now = clock.instant();
    Map<AgentId, Tracked> current = statuses.asMap();
    JsonPieces out = new JsonPieces();
    for (AgentId id : order) {
      Tracked tracked = current.get(id);
      if (tracked == null || !get.filter().matches(tracked.status())) {
        continue;
      }
      Encoded known = encoded.get(id);
      if (known == null || known.from() != tracked) {
        known = new Encoded(tracked, AgentJson.of(tracked.status(), tracked.past()));
        encoded.put(id, known);
      }
      out.nextElement();
      known.json().writeTo(out, now);
    }
    if (encoded.size() > current.size()) {
      encoded.keySet().retainAll(current.keySet()); // agents evicted from the cache layer for size
    }
    get.replyTo().tell(out.result());
    return this;
  }

  private Behavior<Command> onGetAgent(GetAgent get) {
    AgentId id = byPane.get(get.pane());
    // A lookup by pane is what the cache layer's hits and misses count.
    Tracked value = statuses.getIfPresent(id != null ? id : new AgentId(get.pane(), -1));
    get.replyTo().tell(Optional.ofNullable(value).map(v -> withTimeInState(v, clock.instant())));
    return this;
  }

  private Behavior<Command> onGetSessions(GetSessions get) {
    Map<String, Map<String, Integer>> states = new HashMap<>();
    for (Tracked value : statuses.asMap().values()) {
      AgentStatus s = (value).status();
      states.computeIfAbsent(s.agent().pane().sessionName(), name -> new TreeMap<>())
          .merge(s.state().wireName(), 1, Integer::sum);
    }
    List<SessionSummary> summaries = new ArrayList<>();
    for (SessionInfo info : sessions.getAllPresent(sessions.asMap().keySet()).values()) {
      Map<String, Integer> byState = states.getOrDefault(info.name(), Map.of());
      summaries.add(new SessionSummary(info.name(), info.id(), info.windows(), info.panes(),
          byState.values().stream().mapToInt(Integer::intValue).sum(), byState));
    }
    summaries.sort((a, b) -> a.name().compareTo(b.name()));
    get.replyTo().tell(summaries);
    return this;
  }

  private Behavior<Command> onGetSummary(GetSummary get) {
    List<AgentStatus> all = all();
    get.replyTo().tell(new FleetSummary(all.size(),
        count(all, AgentState.values(), AgentStatus::state, AgentState::wireName),
        count(all, Health.values(), AgentStatus::health, Health::wireName),
        count(all, AgentKind.values(), s -> s.agent().kind(), AgentKind::wireName),
        count(all, Role.values(), s -> s.agent().role(), Role::wireName),
        hooks(all), lastListing, lastReport));
    return this;
  }

  private List<AgentStatus> all() {
    return statuses.asMap().values().stream().map(Tracked::status).toList();
  }

  private static Map<String, Integer> hooks(List<AgentStatus> all) {
    int with = 0;
    int stalled = 0;
    int silent = 0;
    for (AgentStatus status : all) {
      if (status.hooks().isPresent()) {
        with++;
        stalled += status.hooks().get().stalled() ? 1 : 0;
        silent += status.hooks().get().silent() ? 1 : 0;
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    counts.put("withHooks", with);
    counts.put("stalled", stalled);
    counts.put("silent", silent);
    return counts;
  }

  // Counted by the enum's ordinal, named once per value (a wire name is made anew at each call).
  private static <E extends Enum<E>> Map<String, Integer> count(List<AgentStatus> all, E[] values,
      Function<AgentStatus, E> key, Function<E, String> name) {
    int[] counts = new int[values.length];
    all.forEach(s -> counts[key.apply(s).ordinal()]++);
    Map<String, Integer> named = new LinkedHashMap<>();
    for (E value : values) {
      named.put(name.apply(value), counts[value.ordinal()]);
    }
    return named;
  }

  private Optional<Tracked> tracked(AgentId id) {
    return Optional.ofNullable(statuses.asMap().get(id));
  }

  private void put(AgentId id, Tracked tracked) {
    Tracked old = statuses.asMap().put(id, tracked);
    if (old == null || BY_TARGET.compare(old, tracked) != 0) {
      order = null;
    }
    byPane.put(id.pane(), id);
  }

  private void remove(AgentId id) {
    statuses.invalidate(id);
    encoded.remove(id);
    order = null;
    byPane.remove(id.pane(), id);
    gone.add(id);
    if (gone.size() > REMEMBERED_GONE) {
      gone.remove(gone.iterator().next());
    }
  }

  private static Tracked fresh(AgentPane agent, Instant at) {
    return new Tracked(new AgentStatus(agent, AgentState.UNKNOWN, AgentState.UNKNOWN, Health.HEALTHY, at,
        later(at, agent.pane().windowActivity()), List.of(), Optional.empty(), Map.of(), Optional.empty()),
        Map.of());
  }

  private static AgentStatus withTimeInState(Tracked tracked, Instant now) {
    AgentStatus s = tracked.status();
    Map<AgentState, Duration> time = new EnumMap<>(AgentState.class);
    time.putAll(tracked.past());
    time.merge(s.state(), nonNegative(Duration.between(s.since(), now)), Duration::plus);
    return new AgentStatus(s.agent(), s.state(), s.previousState(), s.health(), s.since(), s.lastChange(),
        s.evidence(), s.resetAt(), time, s.hooks());
  }

  private static Instant later(Instant a, Instant b) {
    return b != null && b.isAfter(a) ? b : a;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
