package dev.tmuxorc.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code GET /api/agents/{paneId}/screen/stream}: an agent's last captured screen as Server-Sent Events, the
 * first at once, then each time it differs from the last one sent (event {@code screen}, data
 * {@code {"paneId", "text", "at"}}); event {@code gone} when the agent has left, and the stream ends. The
 * screen is looked at every {@code screen-watch-interval} by a ticking stream, which the client's disconnection
 * cancels (noticed at the next write at the latest: a change or a keep-alive).
 */
final class ScreenStream {

  /** What one look at the agent found. */
  private sealed interface Look {
    /** Its screen. */
    record Screen(String text) implements Look { }

    /** It has left. */
    record Gone() implements Look { }

    /** No answer (the monitor was slow or failed, or the agent is restarting): look again next time. */
    record Nothing() implements Look { }
  }

  private final ApiBackend backend;
  private final Duration interval;
  private final Duration keepAlive;
  private final Duration backendTimeout;
  private final Clock clock;

  ScreenStream(ApiBackend backend, HttpSettings settings, Clock clock) {
    this.backend = backend;
    this.interval = settings.screenWatchInterval();
    this.keepAlive = settings.sse().keepAlive();
    this.backendTimeout = settings.backendTimeout();
    this.clock = clock;
  }

  /** The events for the agent in {@code pane}, whose screen is {@code first} now. */
  Source<ServerSentEvent, NotUsed> events(PaneId pane, String first) {
    Source<Look, NotUsed> looks = Source.<Look>single(new Look.Screen(first))
        .concat(Source.tick(interval, interval, NotUsed.notUsed()).mapAsync(1, tick -> look(pane)));
    return looks
        .filter(look -> !(look instanceof Look.Nothing))
        .takeWhile(look -> !(look instanceof Look.Gone), true)
        // the text last sent (none yet: even an empty first screen is sent), and the event (if any) for this look
        .statefulMap(Optional::<String>empty, (Optional<String> sent, Look look) -> {
          if (look instanceof Look.Screen screen) {
            return sent.filter(screen.text()::equals).isPresent()
                ? Pair.create(sent, Optional.<ServerSentEvent>empty())
                : Pair.create(Optional.of(screen.text()),
                    Optional.of(event("screen", pane, Optional.of(screen.text()))));
          }
          return Pair.create(sent, Optional.of(event("gone", pane, Optional.empty())));
        }, sent -> Optional.empty())
        .filter(Optional::isPresent)
        .map(Optional::get)
        .keepAlive(keepAlive, ServerSentEvent::heartbeat);
  }

  // An empty screen is an agent that left, unless the fleet still lists it (a restarting agent forgot its screen).
  private CompletionStage<Look> look(PaneId pane) {
    return Endpoints.within(backend.screen(pane), backendTimeout).thenCompose(screen -> screen.isPresent()
        ? CompletableFuture.<Look>completedFuture(new Look.Screen(screen.get()))
        : Endpoints.within(backend.agent(pane), backendTimeout).thenApply(agent -> agent.isPresent()
            ? new Look.Nothing() : new Look.Gone()))
        .exceptionally(failure -> new Look.Nothing());
  }

  private ServerSentEvent event(String type, PaneId pane, Optional<String> text) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("paneId", pane.value());
    text.ifPresent(t -> data.put("text", t));
    data.put("at", clock.instant().toString());
    try {
      // compact JSON is one line: SSE would split a multi-line data field into several data lines
      return ServerSentEvent.create(Json.MAPPER.writeValueAsString(data), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("strings always serialize", e);
    }
  }
}
