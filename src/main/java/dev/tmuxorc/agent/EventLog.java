package dev.tmuxorc.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tmuxorc.monitor.CycleReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Appends every {@link AgentEvent} and {@link CycleReport} to a file as one JSON object per line (for scripts
 * and the load-test harness, which matches state changes against the fake agents' own logs).
 */
public final class EventLog extends AbstractBehavior<EventLog.Command> {

  public sealed interface Command { }

  private record Event(AgentEvent event) implements Command { }

  private record Report(CycleReport report) implements Command { }

  public static Behavior<Command> create(Path file) {
    return Behaviors.setup(context -> {
      context.setLoggerName(EventLog.class);
      BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      var stream = context.getSystem().eventStream();
      stream.tell(new EventStream.Subscribe<>(AgentEvent.class, context.messageAdapter(AgentEvent.class, Event::new)));
      stream.tell(new EventStream.Subscribe<>(CycleReport.class,
          context.messageAdapter(CycleReport.class, Report::new)));
      return new EventLog(context, writer);
    });
  }

  private final BufferedWriter writer;
  private final ObjectMapper mapper = new ObjectMapper();

  private EventLog(ActorContext<Command> context, BufferedWriter writer) {
    super(context);
    this.writer = writer;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> write(toJson(e.event())))
        .onMessage(Report.class, r -> write(toJson(r.report())))
        .onSignal(PostStop.class, signal -> {
          writer.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> write(Map<String, Object> json) throws IOException {
    writer.write(mapper.writeValueAsString(json));
    writer.newLine();
    writer.flush();
    return this;
  }

  /** The JSON shape of an event: type, times, the agent's identity, and the type's own fields. */
  public static Map<String, Object> toJson(AgentEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", event.getClass().getSimpleName());
    json.put("at", event.at().toString());
    json.put("atMillis", event.at().toEpochMilli());
    json.put("paneId", event.agent().paneId());
    json.put("target", event.agent().pane().target());
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
    }
    return json;
  }

  static Map<String, Object> toJson(CycleReport report) {
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
}
