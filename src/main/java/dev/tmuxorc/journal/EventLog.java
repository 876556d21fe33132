package dev.tmuxorc.journal;

import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.monitor.CycleReport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  private EventLog(ActorContext<Command> context, BufferedWriter writer) {
    super(context);
    this.writer = writer;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Event.class, e -> write(Json.event(e.event())))
        .onMessage(Report.class, r -> write(Json.report(r.report())))
        .onSignal(PostStop.class, signal -> {
          writer.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> write(Map<String, Object> json) throws IOException {
    writer.write(Json.MAPPER.writeValueAsString(json));
    writer.newLine();
    writer.flush();
    return this;
  }
}
