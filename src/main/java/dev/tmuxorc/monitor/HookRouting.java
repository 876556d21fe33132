package dev.tmuxorc.monitor;

import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.PaneId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Which agent a hook event is about: the pane it names; else the agent whose session the event names (learnt
 * from earlier events); else the agent whose pane process is an ancestor of the hook process. An event for no
 * known agent waits for discovery to catch up (a pane that just started) for {@link #HOLD}, then is dropped and
 * counted. Owned by the monitor's thread.
 */
final class HookRouting {

  static final Duration HOLD = Duration.ofSeconds(60);
  /** Events waiting for their agent at most; beyond, the oldest is dropped. */
  static final int MAX_WAITING = 1000;
  /** Sessions remembered at most (an agent's session changes on /clear and resume). */
  static final int MAX_SESSIONS = 10_000;

  private final Clock clock;
  private final CycleObserver observer;
  private final Deque<Monitor.Hooked> waiting = new ArrayDeque<>();
  private final Map<String, PaneId> sessions = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PaneId> eldest) {
      return size() > MAX_SESSIONS;
    }
  };

  HookRouting(Clock clock, CycleObserver observer) {
    this.clock = clock;
    this.observer = observer;
  }

  void route(Monitor.Hooked hooked, Collection<AgentPane> agents, BiConsumer<AgentPane, HookEvent> deliver) {
    Optional<AgentPane> agent = find(hooked, agents);
    if (agent.isPresent()) {
      deliver(agent.get(), hooked.event(), deliver);
      return;
    }
    waiting.addLast(hooked);
    if (waiting.size() > MAX_WAITING) {
      waiting.removeFirst();
      observer.hookDropped();
    }
  }

  /** After a discovery: the waiting events whose agent is now known are delivered, the expired ones dropped. */
  void retry(Collection<AgentPane> agents, BiConsumer<AgentPane, HookEvent> deliver) {
    Instant expired = clock.instant().minus(HOLD);
    for (Iterator<Monitor.Hooked> it = waiting.iterator(); it.hasNext(); ) {
      Monitor.Hooked hooked = it.next();
      Optional<AgentPane> agent = find(hooked, agents);
      if (agent.isPresent()) {
        it.remove();
        deliver(agent.get(), hooked.event(), deliver);
      } else if (hooked.event().at().isBefore(expired)) {
        it.remove();
        observer.hookDropped();
      }
    }
  }

  int waiting() {
    return waiting.size();
  }

  private void deliver(AgentPane agent, HookEvent event, BiConsumer<AgentPane, HookEvent> deliver) {
    event.sessionId().ifPresent(session -> sessions.put(session, agent.paneId()));
    observer.hookRouted();
    deliver.accept(agent, event);
  }

  private Optional<AgentPane> find(Monitor.Hooked hooked, Collection<AgentPane> agents) {
    Optional<PaneId> pane = hooked.pane()
        .or(() -> hooked.event().sessionId().map(sessions::get));
    if (pane.isPresent()) {
      return agents.stream().filter(a -> a.paneId().equals(pane.get())).findFirst();
    }
    for (int pid : hooked.pids()) {
      Optional<AgentPane> running = agents.stream().filter(a -> a.pane().pid() == pid).findFirst();
      if (running.isPresent()) {
        return running;
      }
    }
    return Optional.empty();
  }
}
