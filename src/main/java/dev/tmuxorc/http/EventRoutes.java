package dev.tmuxorc.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.journal.JournalEntry;
import dev.tmuxorc.json.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * {@code GET /api/events}: the journal as Server-Sent Events ({@code id} = sequence number, {@code event} = type,
 * {@code data} = the entry's JSON on one line), resumable with {@code Last-Event-ID} or {@code ?since=SEQ},
 * filtered by {@code ?agent=%3} and {@code ?type=StateChanged,CycleReport}.
 */
final class EventRoutes {

  /** Frames already encoded (EventFanout), as pekko-http's event-stream marshaller would send them. */
  private static final ContentType EVENT_STREAM_TYPE = ContentTypes.create(MediaTypes.TEXT_EVENT_STREAM);
  private static final Marshaller<Source<ByteString, NotUsed>, RequestEntity> EVENT_STREAM =
      Marshaller.withFixedContentType(EVENT_STREAM_TYPE, frames -> HttpEntities.create(EVENT_STREAM_TYPE, frames));
  private static final ByteString HEARTBEAT = EventFanout.encode(ServerSentEvent.heartbeat());

  private final EventFeed feed;
  private final Endpoints endpoints;
  private final HttpSettings settings;

  EventRoutes(EventFeed feed, Endpoints endpoints, HttpSettings settings) {
    this.feed = feed;
    this.endpoints = endpoints;
    this.settings = settings;
  }

  public Route route() {
    return path(segment("api").slash("events"), () -> endpoints.secured("/api/events", () -> get(() ->
        // By name: the typed LastEventId header is not matched on a real socket, where it arrives raw.
        optionalHeaderValueByName("Last-Event-ID", lastEventId -> parameterOptional("since", since ->
            parameterOptional("agent", agent -> parameterOptional("type", types ->
                events(lastEventId, since, agent, types))))))));
  }

  private Route events(Optional<String> lastEventId, Optional<String> since, Optional<String> agent,
      Optional<String> types) {
    // A reconnecting EventSource sends Last-Event-ID but repeats the first URL's ?since: the header is newer.
    OptionalLong lastSeen;
    if (lastEventId.isPresent() && !lastEventId.get().isBlank()) {
      lastSeen = sequence(lastEventId.get());
      if (lastSeen.isEmpty()) {
        return complete(ApiError.badRequest(
            "Last-Event-ID: '" + lastEventId.get() + "' is not an event id (a number)"));
      }
    } else if (since.isPresent()) {
      lastSeen = sequence(since.get());
      if (lastSeen.isEmpty()) {
        return complete(ApiError.badRequest("since: '" + since.get() + "' is not an event id (a number >= 0)"));
      }
    } else {
      lastSeen = OptionalLong.empty();
    }
    Predicate<JournalEntry> wanted = EventFeed.ALL;
    if (agent.isPresent()) {
      Optional<PaneId> pane = PaneId.parse(agent.get());
      if (pane.isEmpty()) {
        return complete(ApiError.badRequest("agent: not a tmux pane id (% and digits, URL-encoded as %25): '"
            + agent.get() + "'"));
      }
      String paneId = pane.get().value();
      wanted = wanted.and(entry -> paneId.equals(entry.paneId()));
    }
    if (types.isPresent()) {
      Set<String> names = Arrays.stream(types.get().split(",")).map(String::trim).filter(t -> !t.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
      if (names.isEmpty()) {
        return complete(ApiError.badRequest("type: give one or more event types, e.g. StateChanged,CycleReport"));
      }
      wanted = wanted.and(entry -> names.contains(entry.type()));
    }
    Predicate<JournalEntry> filter = wanted;
    return endpoints.onBackend(() -> feed.after(lastSeen, filter), batches -> completeOK(
        batches.map(EventRoutes::frames).keepAlive(settings.sse().keepAlive(), () -> HEARTBEAT), EVENT_STREAM));
  }

  private static OptionalLong sequence(String text) {
    try {
      long seq = Long.parseLong(text.trim());
      return seq < 0 ? OptionalLong.empty() : OptionalLong.of(seq);
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  // A batch's frames, joined without copying them.
  private static ByteString frames(List<EventFanout.Framed> batch) {
    if (batch.size() == 1) {
      return batch.get(0).frame();
    }
    ByteStringBuilder out = new ByteStringBuilder();
    batch.forEach(framed -> out.append(framed.frame()));
    return out.result();
  }

  // SSE splits data on newlines into several data: lines; compact JSON keeps each entry one line.
  static String oneLine(String json) {
    if (json.indexOf('\n') < 0 && json.indexOf('\r') < 0) {
      return json;
    }
    try {
      return Json.MAPPER.writeValueAsString(Json.MAPPER.readTree(json));
    } catch (JsonProcessingException e) {
      return json.replace("\r", " ").replace("\n", " ");
    }
  }
}
