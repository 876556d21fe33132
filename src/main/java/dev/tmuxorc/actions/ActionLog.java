package dev.tmuxorc.actions;

import dev.tmuxorc.journal.Journal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * Where one action's outcomes go: a log line, the metrics ({@link ActionObserver}) and the journal, as an
 * {@code Action} entry ({@code action}, {@code outcome}, {@code why} and the action's own fields), which the event
 * stream, {@code tmux-orc actions} and {@code GET /api/actions} show.
 */
public final class ActionLog {

  private final String action;
  private final Optional<ActorRef<Journal.Command>> journal;
  private final ActionObserver observer;
  private final Clock clock;
  private final Logger log;

  public ActionLog(String action, Optional<ActorRef<Journal.Command>> journal, ActionObserver observer, Clock clock,
      Logger log) {
    this.action = action;
    this.journal = journal;
    this.observer = observer;
    this.clock = clock;
    this.log = log;
  }

  /** An outcome about {@code paneId} (null: a session's, or nobody's). */
  public void record(String paneId, String outcome, String why) {
    record(paneId, outcome, why, Map.of());
  }

  public void record(String paneId, String outcome, String why, Map<String, Object> fields) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("action", action);
    json.put("outcome", outcome);
    json.put("why", why);
    json.putAll(fields);
    log.info("{} {} {}: {}", action, outcome, paneId == null ? fields.getOrDefault("session", "-") : paneId, why);
    observer.acted(action, outcome);
    journal.ifPresent(j -> j.tell(new Journal.Record("Action", paneId, clock.instant(), json)));
  }
}
