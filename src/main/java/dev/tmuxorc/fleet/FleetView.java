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

  /** Publishes a new order of the listing, once per burst of agents coming, leaving or moving. */
  private enum Reorder implements Command { INSTANCE }

  private record SessionInfo(String name, String id, int windows, int panes) { }

  /** Agents that left are remembered this many at most, so that a late event does not bring one back. */
  static final int REMEMBERED_GONE = 4096;

  private static final Comparator<TrackedAgent> BY_TARGET = Comparator.comparing(TrackedAgent::status, Scan.BY_TARGET);

  /** {@code listing}: where the agents are published for readers on other threads (the HTTP API). */
  public static Behavior<Command> create(Caches caches, Clock clock, AgentListing listing) {
    return Behaviors.setup(context -> {
      var stream = context.getSystem().eventStream();
      stream.tell(new EventStream.Subscribe<>(AgentEvent.class, context.messageAdapter(AgentEvent.class, Event::new)));
      stream.tell(new EventStream.Subscribe<>(CycleReport.class,
          context.messageAdapter(CycleReport.class, Report::new)));
      return new FleetView(context, caches.layer(CacheLayer.AGENT_STATUS), caches.layer(CacheLayer.SESSION_INFO),
          clock, listing);
    });
  }

  /** A view read by messages only (its listing is its own): for tests and tools that ask it. */
  public static Behavior<Command> create(Caches caches, Clock clock) {
    return create(caches, clock, new AgentListing());
  }

  private final Cache<AgentId, TrackedAgent> statuses;
  private final Cache<String, SessionInfo> sessions;
  private final Clock clock;
  private final AgentListing listing;
  private final Map<PaneId, AgentId> byPane = new HashMap<>();
  private final Set<AgentId> gone = new LinkedHashSet<>();
  private final Map<AgentId, Integer> positions = new HashMap<>(); // each agent's slot in the listing
  private boolean reorder; // the listing's order is to be made again (a Reorder is on its way)
  private Instant lastListing;
  private CycleReport lastReport;

  private FleetView(ActorContext<Command> context, Cache<AgentId, TrackedAgent> statuses,
      Cache<String, SessionInfo> sessions, Clock clock, AgentListing listing) {
    super(context);
    this.statuses = statuses;
    this.sessions = sessions;
    this.clock = clock;
    this.listing = listing;
    reorderSoon(); // after a restart, the statuses kept in the cache layer
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> onEvent(e.event()))
        .onMessage(Report.class, r -> onReport(r.report()))
        .onMessage(Listed.class, l -> onListed(l.listing()))
        .onMessage(GetAgents.class, this::onGetAgents)
        .onMessage(GetAgentsJson.class, this::onGetAgentsJson)
        .onMessageEquals(Reorder.INSTANCE, () -> {
          reorderNow();
          return this;
        })
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
    TrackedAgent tracked = tracked(id).orElseGet(() -> fresh(event.agent(), event.at()));
    AgentStatus s = tracked.status();
    if (event instanceof AgentEvent.StateChanged changed) {
      Map<AgentState, Duration> past = new EnumMap<>(AgentState.class);
      past.putAll(tracked.past());
      past.merge(s.state(), nonNegative(Duration.between(s.since(), changed.at())), Duration::plus);
      tracked = new TrackedAgent(new AgentStatus(changed.agent(), changed.to(), changed.from(), s.health(),
          changed.at(), later(s.lastChange(), changed.at()), changed.evidence(), changed.resetAt(), Map.of(),
          s.hooks()), past);
    } else if (event instanceof AgentEvent.HealthChanged changed) {
      tracked = new TrackedAgent(new AgentStatus(changed.agent(), s.state(), s.previousState(), changed.to(), s.since(),
          s.lastChange(), s.evidence(), s.resetAt(), Map.of(), s.hooks()), tracked.past());
    } else if (event instanceof AgentEvent.HookReceived hooked) {
      tracked = new TrackedAgent(s.withHooks(Optional.of(s.hooks().map(h -> h.with(hooked.hook()))
          .orElseGet(() -> HookFacts.first(hooked.hook())))), tracked.past());
    } else if (event instanceof AgentEvent.FlagChanged flagged) {
      AgentStatus flaggedStatus = new AgentStatus(s.agent(), s.state(), s.previousState(), s.health(), s.since(),
          s.lastChange(), flagged.evidence(), s.resetAt(), Map.of(), s.hooks().map(h -> h.with(flagged.flag(),
          flagged.on())));
      tracked = new TrackedAgent(flaggedStatus, tracked.past());
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
      Optional<TrackedAgent> known = tracked(id);
      if (known.isEmpty()) {
        put(id, fresh(agent, listing.at()));
      } else if (!agent.equals(known.get().status().agent())) {
        AgentStatus s = known.get().status();
        put(id, new TrackedAgent(new AgentStatus(agent, s.state(), s.previousState(), s.health(), s.since(),
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
    for (TrackedAgent value : statuses.asMap().values()) {
      AgentStatus status = withTimeInState(value, now);
      if (get.filter().matches(status)) {
        agents.add(status);
      }
    }
    agents.sort(Scan.BY_TARGET);
    get.replyTo().tell(agents);
    return this;
  }

  // The listing as a message's answer: everything before this message is in it.
  private Behavior<Command> onGetAgentsJson(GetAgentsJson get) {
    reorderNow();
    get.replyTo().tell(listing.json(get.filter(), clock.instant()));
    return this;
  }

  private Behavior<Command> onGetAgent(GetAgent get) {
    AgentId id = byPane.get(get.pane());
    // A lookup by pane is what the cache layer's hits and misses count.
    TrackedAgent value = statuses.getIfPresent(id != null ? id : new AgentId(get.pane(), -1));
    get.replyTo().tell(Optional.ofNullable(value).map(v -> withTimeInState(v, clock.instant())));
    return this;
  }

  private Behavior<Command> onGetSessions(GetSessions get) {
    Map<String, Map<String, Integer>> states = new HashMap<>();
    for (TrackedAgent value : statuses.asMap().values()) {
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
    return statuses.asMap().values().stream().map(TrackedAgent::status).toList();
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

  private Optional<TrackedAgent> tracked(AgentId id) {
    return Optional.ofNullable(statuses.asMap().get(id));
  }

  private void put(AgentId id, TrackedAgent tracked) {
    TrackedAgent old = statuses.asMap().put(id, tracked);
    if (old == null || BY_TARGET.compare(old, tracked) != 0) {
      reorderSoon();
    }
    Integer position = positions.get(id);
    if (position != null) {
      listing.set(position, tracked);
    }
    byPane.put(id.pane(), id);
  }

  private void remove(AgentId id) {
    statuses.invalidate(id);
    Integer position = positions.remove(id);
    if (position != null) {
      listing.set(position, null);
    }
    reorderSoon();
    byPane.remove(id.pane(), id);
    gone.add(id);
    if (gone.size() > REMEMBERED_GONE) {
      gone.remove(gone.iterator().next());
    }
  }

  // Once per burst: the Reorder goes behind the messages already waiting (a discovery's thousand agents), and an
  // agent's change meanwhile still reaches its slot in the order before.
  private void reorderSoon() {
    if (!reorder) {
      reorder = true;
      getContext().getSelf().tell(Reorder.INSTANCE);
    }
  }

  // When one is due (else nothing). Agents evicted from the cache layer for size leave the listing here too: at
  // the latest after the next listing (which puts back the agents it finds, and so asks for a new order).
  private void reorderNow() {
    if (!reorder) {
      return;
    }
    reorder = false;
    List<Map.Entry<AgentId, TrackedAgent>> all = new ArrayList<>(statuses.asMap().entrySet());
    all.sort(Map.Entry.comparingByValue(BY_TARGET));
    positions.clear();
    List<TrackedAgent> ordered = new ArrayList<>(all.size());
    for (Map.Entry<AgentId, TrackedAgent> entry : all) {
      positions.put(entry.getKey(), ordered.size());
      ordered.add(entry.getValue());
    }
    listing.replace(ordered);
  }

  private static TrackedAgent fresh(AgentPane agent, Instant at) {
    return new TrackedAgent(new AgentStatus(agent, AgentState.UNKNOWN, AgentState.UNKNOWN, Health.HEALTHY, at,
        later(at, agent.pane().windowActivity()), List.of(), Optional.empty(), Map.of(), Optional.empty()),
        Map.of());
  }

  private static AgentStatus withTimeInState(TrackedAgent tracked, Instant now) {
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
