package dev.tmuxorc.http;

import dev.tmuxorc.journal.JournalEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.util.ByteString;

/**
 * The live journal entries for every {@code /api/events} client: one subscriber to the event stream that frames
 * each entry as a Server-Sent Event once, and hands the clients what arrived within {@link #WINDOW} as one batch.
 * A cycle's state changes come in bursts; sent one by one, each cost every client an actor message, a chunk and
 * a socket write (100 clients at ~23 events/s: 7% of a core), sent as a batch they cost it one.
 */
final class EventFanout {

  /** An entry and its SSE frame ({@code event:}, {@code data:}, {@code id:}), made once for all clients. */
  record Framed(JournalEntry entry, ByteString frame) {

    static Framed of(JournalEntry entry) {
      return new Framed(entry, EventFanout.frame(entry));
    }
  }

  /** How long the first entry of a batch waits for the others of its burst. */
  static final Duration WINDOW = Duration.ofMillis(25);

  /** Most entries in one batch: a burst of first discoveries (1,000 agents) goes out in several. */
  static final int MAX_BATCH = 64;

  private static final AtomicInteger NAMES = new AtomicInteger();

  private enum Flush { FLUSH }

  /** Told to a client whose entries waiting would exceed its buffer: its live source fails, and it is dropped. */
  enum Overflow { OVERFLOW }

  private EventFanout() {
  }

  /**
   * Starts the fanout, subscribed before this returns (entries published from then on reach it). Each batch, a
   * {@code List<Framed>} in journal order, is told to every client in {@code clients} at the time, whose counter
   * of entries waiting grows by the batch's size (the client takes it back as it takes the batch); a client that
   * would have more than {@code buffer} waiting is told {@link Overflow#OVERFLOW} instead.
   */
  static void start(ActorSystem<?> system, Map<ActorRef, AtomicInteger> clients, int buffer) {
    org.apache.pekko.actor.typed.ActorRef<Object> fanout = system.systemActorOf(behavior(clients, buffer),
        "sse-fanout-" + NAMES.incrementAndGet(), Props.empty());
    Adapter.toClassic(system).eventStream().subscribe(Adapter.toClassic(fanout), JournalEntry.class);
  }

  // A batch is sent when its window has passed or it holds MAX_BATCH entries (never more than a client's buffer).
  private static Behavior<Object> behavior(Map<ActorRef, AtomicInteger> clients, int buffer) {
    int maxBatch = Math.min(MAX_BATCH, buffer);
    return Behaviors.withTimers(timers -> {
      List<Framed> pending = new ArrayList<>();
      Runnable flush = () -> {
        List<Framed> batch = List.copyOf(pending);
        pending.clear();
        clients.forEach((client, waiting) -> client.tell(waiting.addAndGet(batch.size()) > buffer
            ? Overflow.OVERFLOW : batch, ActorRef.noSender()));
      };
      return Behaviors.receive(Object.class)
          .onMessage(JournalEntry.class, entry -> {
            if (clients.isEmpty()) {
              return Behaviors.same(); // nobody listens: not even framed
            }
            pending.add(Framed.of(entry));
            if (pending.size() >= maxBatch) {
              timers.cancel(Flush.FLUSH);
              flush.run();
            } else if (pending.size() == 1) {
              timers.startSingleTimer(Flush.FLUSH, WINDOW);
            }
            return Behaviors.same();
          })
          .onMessageEquals(Flush.FLUSH, () -> {
            if (!pending.isEmpty()) {
              flush.run();
            }
            return Behaviors.same();
          })
          .build();
    });
  }

  /** The SSE frame of one entry, as pekko-http's event-stream marshaller writes it. */
  static ByteString frame(JournalEntry entry) {
    return encode(ServerSentEvent.create(EventRoutes.oneLine(entry.json()), Optional.of(entry.type()),
        Optional.of(Long.toString(entry.seq())), OptionalInt.empty()));
  }

  /**
   * pekko-http's own encoding of an event (what its event-stream marshaller calls per event), so that frames made
   * once here are byte for byte what it would send.
   */
  static ByteString encode(ServerSentEvent event) {
    return ((org.apache.pekko.http.scaladsl.model.sse.ServerSentEvent) event).encode();
  }
}
