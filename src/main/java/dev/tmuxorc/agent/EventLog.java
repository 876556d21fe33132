package dev.tmuxorc.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Appends every {@link AgentEvent} to a file as one JSON object per line (for scripts and the load-test
 * harness, which matches state changes against the fake agents' own logs to compute detection latency).
 */
public final class EventLog extends AbstractBehavior<AgentEvent> {

  public static Behavior<AgentEvent> create(Path file) {
    return Behaviors.setup(context -> {
      context.setLoggerName(EventLog.class);
      BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      context.getSystem().eventStream().tell(new EventStream.Subscribe<>(AgentEvent.class, context.getSelf()));
      return new EventLog(context, writer);
    });
  }

  private final BufferedWriter writer;
  private final ObjectMapper mapper = new ObjectMapper();

  private EventLog(ActorContext<AgentEvent> context, BufferedWriter writer) {
    super(context);
    this.writer = writer;
  }

  @Override
  public Receive<AgentEvent> createReceive() {
    return newReceiveBuilder()
        .onMessage(AgentEvent.class, this::onEvent)
        .onSignal(PostStop.class, signal -> {
          writer.close();
          return this;
        })
        .build();
  }

  private Behavior<AgentEvent> onEvent(AgentEvent event) throws IOException {
    writer.write(mapper.writeValueAsString(toJson(event)));
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
}
