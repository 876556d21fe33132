package dev.tmuxorc.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.agent.Explanation;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.fleet.AgentFilter;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.journal.JournalStore;
import dev.tmuxorc.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.util.ByteString;

/**
 * What the HTTP routes read and do, answered by the running supervisor (the FleetView, the journal, the
 * metrics registry). Every query reads a read model: none fans out one ask per agent. The routes give each
 * asynchronous answer {@code tmux-orc.http.backend-timeout} (then 503); a failed one becomes a 500 with its message.
 * {@link #ready()}, {@link #notReadyReason()} and {@link #metrics()} are called on server threads: keep them cheap.
 */
public interface ApiBackend {

  /** {@code GET /api/status}: version, uptime, strategy, paused, cycles, percentiles, pool, caches, journal. */
  CompletionStage<Map<String, Object>> status();

  /** Every agent, in target order (session, window, pane). */
  CompletionStage<List<AgentView>> agents();

  /**
   * The agents {@code filter} accepts as the JSON array of {@link #agents()}' views. The running supervisor answers
   * with bytes it keeps per agent (the body is 600 KB at 1,000 agents); this default serializes the views.
   */
  default CompletionStage<ByteString> agentsJson(AgentFilter filter) {
    return agents().thenApply(views -> {
      try {
        return ByteString.fromArrayUnsafe(Json.MAPPER.writeValueAsBytes(views.stream()
            .filter(v -> filter.state().map(s -> s.wireName().equals(v.state())).orElse(true)
                && filter.session().map(s -> s.equals(v.session())).orElse(true)
                && filter.role().map(r -> r.wireName().equals(v.role())).orElse(true))
            .toList()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
      }
    });
  }

  /** The agent in {@code pane}, or empty when no agent is there (404). */
  CompletionStage<Optional<AgentView>> agent(PaneId pane);

  /** The last captured screen of the pane's agent, as text. */
  CompletionStage<Optional<String>> screen(PaneId pane);

  /** Why the pane's agent is in its state: each source's reading, the deciding rule, the last transitions. */
  CompletionStage<Optional<Explanation>> explain(PaneId pane);

  /** Sessions with their agents' counts by state: {@code name, agents, byState}. */
  CompletionStage<List<Map<String, Object>>> sessions();

  /**
   * Journal entries with a sequence number above {@code seq}, oldest first, at most {@code limit}. Must include
   * every entry already published on the event stream (the journal publishes an entry only once this query can
   * return it): {@code /api/events} subscribes to live entries, then reads this backlog, and relies on the two
   * overlapping rather than leaving a gap.
   */
  CompletionStage<List<JournalEntry>> eventsAfter(long seq, int limit);

  /**
   * The journal's entries that {@code filter} selects ({@code GET /api/journal}), oldest first: each the stored
   * JSON with its {@code seq} first ({@link JournalEntry#withSeq()}); empty without a journal. Read from the
   * journal's file, which has an entry within {@code journal.flush-interval} of its publication.
   */
  CompletionStage<List<Map<String, Object>>> journal(JournalStore.Filter filter);

  /**
   * The latest {@code limit} actions (the journal's {@code Action} entries, oldest first): each the stored JSON
   * with its {@code seq}; empty without a journal.
   */
  default CompletionStage<List<Map<String, Object>>> actions(int limit) {
    return journal(JournalStore.Filter.latest(limit).types(Set.of("Action")));
  }

  /** The last sequence number the journal handed out (published), or 0 when it has none yet. */
  long lastSeq();

  /** Ready: tmux reachable and the first discovery done. */
  boolean ready();

  /** Why not ready, for the health endpoint's body. */
  String notReadyReason();

  /** The Prometheus text exposition of every metric. */
  String metrics();

  /**
   * A hook event for the agent in {@code pane} (else found by its session or the hook process's ancestors
   * {@code pids}); completes as soon as it is handed on, never waiting for the agent.
   */
  CompletionStage<Void> hook(HookEvent event, Optional<PaneId> pane, List<Integer> pids);

  /**
   * The PM reports' outbox ({@code GET /api/reports}): {@code enabled} (false when PM reports never ran with this
   * journal), {@code entries} waiting for their PM (pending or in flight, oldest first) and the latest
   * {@code reports} (newest first, each with its number, which {@link #acknowledge} takes).
   */
  CompletionStage<Map<String, Object>> reports();

  /**
   * Types {@code text} (printable, within the size limit) into the prompt of the agent in {@code pane} by the
   * typing rules (only into an empty prompt, literally, verified), journalled as an {@code Action}; refused while
   * actions are paused or in dry-run. Completes with the typer's outcome.
   */
  CompletionStage<Acted> message(PaneId pane, String text);

  /** The PM acknowledges report {@code reportId}: its escalation to people stops. */
  CompletionStage<Acted> acknowledge(long reportId);

  /** Actions off for {@code duration} (observation goes on); answers when they resume. */
  CompletionStage<java.time.Instant> pause(Duration duration);

  /** Actions on again now; completes (with null) once they are. */
  CompletionStage<Void> resume();
}
