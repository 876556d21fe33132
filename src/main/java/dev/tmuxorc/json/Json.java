package dev.tmuxorc.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.monitor.CycleReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one Jackson mapper of tmux-orc (thread-safe once configured), and the JSON shape of everything published
 * on the event stream: agent events and cycle reports (and {@link JsonEvent}s, which write their own), as the
 * journal, {@code --events}, the API and SSE show them.
 */
public final class Json {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  /** For output people read too ({@code --json} of the CLI). */
  public static final ObjectWriter PRETTY = MAPPER.writer().with(SerializationFeature.INDENT_OUTPUT);

  private Json() {
  }

  /** The event type as the journal and the API name it: the record's simple name, e.g. "StateChanged". */
  public static String type(Object event) {
    return event instanceof CycleReport ? "CycleReport" : event.getClass().getSimpleName();
  }

  /** The JSON shape of an event: type, times, the agent's identity, and the type's own fields. */
  public static Map<String, Object> event(AgentEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type(event));
    json.put("at", event.at().toString());
    json.put("atMillis", event.at().toEpochMilli());
    json.put("paneId", event.agent().paneId().value());
    json.put("target", event.agent().pane().target());
    json.put("session", event.agent().pane().sessionName());
    json.put("windowName", event.agent().pane().windowName());
    json.put("role", event.agent().role().wireName());
    json.put("kind", event.agent().kind().wireName());
    if (event instanceof AgentEvent.StateChanged changed) {
      json.put("from", changed.from().wireName());
      json.put("to", changed.to().wireName());
      json.put("evidence", changed.evidence());
      json.put("resetAt", changed.resetAt().map(Object::toString).orElse(null));
    } else if (event instanceof AgentEvent.HealthChanged changed) {
      json.put("from", changed.from().wireName());
      json.put("to", changed.to().wireName());
    } else if (event instanceof AgentEvent.HookReceived hooked) {
      json.put("source", hooked.hook().source());
      json.put("hook", hooked.hook().name());
      json.put("sessionId", hooked.hook().sessionId().orElse(null));
      json.put("details", hooked.hook().details());
    } else if (event instanceof AgentEvent.FlagChanged flagged) {
      json.put("flag", flagged.flag().wireName());
      json.put("on", flagged.on());
      json.put("reason", flagged.reason());
      json.put("evidence", flagged.evidence());
    } else if (event instanceof AgentEvent.SignalsDisagreed disagreed) {
      json.put("hook", disagreed.hook().key());
      json.put("hookAt", disagreed.hook().at().toString());
      json.put("hookState", disagreed.hookState().wireName());
      json.put("screenState", disagreed.screenState().wireName());
      json.put("screenEvidence", disagreed.screenEvidence());
      json.put("decided", disagreed.decided().wireName());
      json.put("evidence", disagreed.evidence());
    }
    return json;
  }

  public static Map<String, Object> report(CycleReport report) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", "CycleReport");
    json.put("at", report.at().toString());
    json.put("atMillis", report.at().toEpochMilli());
    json.put("agents", report.agents());
    json.put("cycles", report.cycles());
    json.put("p50Ms", report.p50Ms());
    json.put("p95Ms", report.p95Ms());
    json.put("p99Ms", report.p99Ms());
    json.put("maxMs", report.maxMs());
    json.put("discoveryP50Ms", report.discoveryP50Ms());
    json.put("sweepP50Ms", report.sweepP50Ms());
    json.put("captures", report.captures());
    json.put("captureFailures", report.captureFailures());
    json.put("reused", report.reused());
    json.put("strategy", report.strategy());
    return json;
  }

  /** A published event (agent event, cycle report or a {@link JsonEvent}) as JSON; other objects are refused. */
  public static Map<String, Object> of(Object published) {
    if (published instanceof AgentEvent event) {
      return event(event);
    }
    if (published instanceof CycleReport report) {
      return report(report);
    }
    if (published instanceof JsonEvent event) {
      return event.json();
    }
    throw new IllegalArgumentException("not an event: " + published.getClass().getName());
  }
}
