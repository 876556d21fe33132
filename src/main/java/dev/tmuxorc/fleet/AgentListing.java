package dev.tmuxorc.fleet;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.util.ByteString;

/**
 * The agents in target order as the {@link FleetView} publishes them, for readers on other threads: the HTTP API
 * answers {@code /api/agents} from here on its own thread, with no message to the view and no wait behind the
 * events in its mailbox (docs/benchmarks.md, run 8). The view replaces an agent's slot when the agent changes,
 * and the whole order once per burst of agents coming, leaving or moving (a Reorder message behind the burst).
 * Each agent's entry is whole, but the listing is no cut across agents: a reader may see one agent's change and
 * not yet another's that came just before it, and an agent that arrived or moved only once the burst's Reorder
 * got through (in the meantime a moved agent shows its new facts at its old place).
 */
public final class AgentListing {

  private volatile AtomicReferenceArray<TrackedAgent> slots = new AtomicReferenceArray<>(0);

  /** The agents {@code filter} accepts as a JSON array of {@link dev.tmuxorc.agent.AgentView}s at {@code now}. */
  public ByteString json(AgentFilter filter, Instant now) {
    AtomicReferenceArray<TrackedAgent> current = slots;
    JsonPieces out = new JsonPieces();
    for (int i = 0; i < current.length(); i++) {
      TrackedAgent agent = current.get(i);
      if (agent != null && filter.matches(agent.status())) {
        out.nextElement();
        agent.json().writeTo(out, now);
      }
    }
    return out.result();
  }

  /** A new order (the view's thread only). */
  void replace(List<TrackedAgent> ordered) {
    slots = new AtomicReferenceArray<>(ordered.toArray(TrackedAgent[]::new));
  }

  /** One agent's new entry, or null for one that left (the view's thread only). */
  void set(int position, TrackedAgent agent) {
    slots.set(position, agent);
  }
}
