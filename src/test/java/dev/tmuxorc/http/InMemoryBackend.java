package dev.tmuxorc.http;

import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.agent.Explanation;
import dev.tmuxorc.agent.HookEvent;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.journal.JournalQuery;
import dev.tmuxorc.journal.JournalStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.eventstream.EventStream;

/**
 * An {@link ApiBackend} over in-memory data, with a journal that (like the real one) stores each entry before it
 * publishes it on the event stream; {@code failing} and {@code hanging} make every asynchronous query fail or
 * never answer.
 */
final class InMemoryBackend implements ApiBackend {

  final List<AgentView> agents = new CopyOnWriteArrayList<>();
  // read by a screen stream's looks on the server's threads while a test changes it
  final Map<String, String> screens = new java.util.concurrent.ConcurrentHashMap<>();
  final java.util.concurrent.atomic.AtomicInteger screenReads = new java.util.concurrent.atomic.AtomicInteger();
  /** The journal file {@code /api/journal} reads (null: no journal), and the filters it was asked with. */
  volatile java.nio.file.Path journalFile;
  final List<JournalStore.Filter> journalFilters = new CopyOnWriteArrayList<>();
  final Map<String, Explanation> explanations = new LinkedHashMap<>();
  final List<JournalEntry> journal = new CopyOnWriteArrayList<>();
  final List<Duration> pauses = new CopyOnWriteArrayList<>();
  volatile int resumes;
  volatile boolean ready = true;
  volatile boolean failing;
  volatile boolean hanging;
  private final Consumer<JournalEntry> publish;

  InMemoryBackend(ActorSystem<?> system) {
    this.publish = entry -> system.eventStream().tell(new EventStream.Publish<>(entry));
  }

  static AgentView view(String paneId, String session, String role, String state) {
    return new AgentView(paneId, session + ":1.0", session, 1, "claude-1", 0, role, "claude", state, "idle",
        "healthy", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", null, List.of(), "claude", 42, false,
        Map.of(), null);
  }

  /** Journals an entry and publishes it, as the journal does: seq first, then the event stream. */
  JournalEntry append(String type, String paneId) {
    return append(type, paneId, "");
  }

  /** As {@link #append(String, String)}, with {@code padding} in the JSON to make the entry large. */
  synchronized JournalEntry append(String type, String paneId, String padding) {
    long seq = journal.size() + 1;
    String json = "{\"type\":\"" + type + "\",\"paneId\":" + (paneId == null ? "null" : "\"" + paneId + "\"")
        + ",\"n\":" + seq + (padding.isEmpty() ? "" : ",\"padding\":\"" + padding + "\"") + "}";
    JournalEntry entry = new JournalEntry(seq, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seq), type,
        paneId, json);
    journal.add(entry);
    publish.accept(entry);
    return entry;
  }

  private <T> CompletionStage<T> answer(T value) {
    if (hanging) {
      return new CompletableFuture<>();
    }
    if (failing) {
      return CompletableFuture.failedFuture(new IllegalStateException("tmux server gone"));
    }
    return CompletableFuture.completedFuture(value);
  }

  @Override
  public CompletionStage<Map<String, Object>> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("version", "test");
    status.put("agents", agents.size());
    status.put("paused", !pauses.isEmpty() && resumes == 0);
    return answer(status);
  }

  @Override
  public CompletionStage<List<AgentView>> agents() {
    return answer(List.copyOf(agents));
  }

  @Override
  public CompletionStage<Optional<AgentView>> agent(PaneId pane) {
    return answer(agents.stream().filter(a -> a.paneId().equals(pane.value())).findFirst());
  }

  @Override
  public CompletionStage<Optional<String>> screen(PaneId pane) {
    screenReads.incrementAndGet();
    return answer(Optional.ofNullable(screens.get(pane.value())));
  }

  // The real journal's reading over a real file, as the running supervisor does it (without its thread hop).
  @Override
  public CompletionStage<List<Map<String, Object>>> journal(JournalStore.Filter filter) {
    journalFilters.add(filter);
    java.nio.file.Path file = journalFile;
    try {
      return answer(file == null ? List.of() : JournalQuery.entries(file, filter));
    } catch (java.sql.SQLException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Optional<Explanation>> explain(PaneId pane) {
    return answer(Optional.ofNullable(explanations.get(pane.value())));
  }

  @Override
  public CompletionStage<List<Map<String, Object>>> sessions() {
    Map<String, Map<String, Object>> bySession = new LinkedHashMap<>();
    for (AgentView agent : agents) {
      Map<String, Object> session = bySession.computeIfAbsent(agent.session(), name -> {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("agents", 0);
        return s;
      });
      session.put("agents", (Integer) session.get("agents") + 1);
    }
    return answer(new ArrayList<>(bySession.values()));
  }

  @Override
  public CompletionStage<List<JournalEntry>> eventsAfter(long seq, int limit) {
    return answer(journal.stream().filter(e -> e.seq() > seq).limit(limit).toList());
  }

  @Override
  public boolean ready() {
    return ready;
  }

  @Override
  public String notReadyReason() {
    return "tmux server not reachable";
  }

  @Override
  public String metrics() {
    return "# TYPE tmux_orc_agents gauge\ntmux_orc_agents " + agents.size() + "\n";
  }

  @Override
  public CompletionStage<Instant> pause(Duration duration) {
    pauses.add(duration);
    return answer(Instant.parse("2026-01-01T00:00:00Z").plus(duration));
  }

  @Override
  public CompletionStage<Void> resume() {
    resumes++;
    return answer(null);
  }

  @Override
  public long lastSeq() {
    return journal.isEmpty() ? 0 : journal.get(journal.size() - 1).seq();
  }

  /** Hook events handed on, with their pane and pids, in order. */
  final List<Object[]> hooks = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public CompletionStage<Void> hook(HookEvent event, Optional<PaneId> pane, List<Integer> pids) {
    hooks.add(new Object[] {event, pane, pids});
    return answer(null);
  }

  /** The messages typed, as {pane, text}; {@link #messageOutcome} is what each is answered. */
  final List<String[]> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
  volatile Acted messageOutcome = Acted.of("delivered", "typed and submitted");
  volatile boolean messageHangs;
  final List<Long> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
  final Map<String, Object> reports = new LinkedHashMap<>(Map.of("enabled", true, "entries", List.of(),
      "reports", List.of()));

  @Override
  public CompletionStage<Map<String, Object>> reports() {
    return answer(Map.copyOf(reports));
  }

  @Override
  public CompletionStage<Acted> message(PaneId pane, String text) {
    if (agents.stream().noneMatch(a -> a.paneId().equals(pane.value()))) {
      return answer(Acted.of("unknown", "no agent in pane " + pane));
    }
    messages.add(new String[] {pane.value(), text});
    return messageHangs ? new CompletableFuture<>() : answer(messageOutcome);
  }

  @Override
  public CompletionStage<Acted> acknowledge(long reportId) {
    acks.add(reportId);
    return answer(reportId == 12 ? new Acted("acknowledged", "report 12 acknowledged", Map.of("report", 12L))
        : Acted.of("unknown", "no report " + reportId));
  }
}
