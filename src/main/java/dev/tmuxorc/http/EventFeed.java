package dev.tmuxorc.http;

import dev.tmuxorc.journal.JournalEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.CompletionStrategy;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The journal entries one {@code /api/events} client receives: those after its last seen sequence number from
 * the journal, then live ones from the event stream, each exactly once and in order, framed and in batches (see
 * {@link EventFanout}). Live batches wait in a buffer of {@code sse.buffer} per client; a client that fills it is
 * dropped (its stream ends) instead of slowing anyone, and catches up from the journal when it reconnects with its
 * Last-Event-ID.
 */
final class EventFeed {

  /** Told to a client's live source to end it (the client went away, or it will not be used). */
  private enum Stop { STOP }

  /** Every entry: the filter of a client that asked for no filter (its batches are passed on as they are). */
  static final Predicate<JournalEntry> ALL = entry -> true;

  private final ActorSystem<?> system;
  private final ApiBackend backend;
  private final HttpSettings settings;
  private final RequestObserver observer;
  // Each live client, with the number of entries the fanout handed it that it has not taken yet.
  private final Map<ActorRef, AtomicInteger> subscribers = new ConcurrentHashMap<>();

  EventFeed(ActorSystem<?> system, ApiBackend backend, HttpSettings settings, RequestObserver observer) {
    this.system = system;
    this.backend = backend;
    this.settings = settings;
    this.observer = observer;
    // Event streams never end by themselves: end them when the daemon stops, so that the server's unbind finds
    // its responses complete and clients see a clean end (and resume from the journal with their last id).
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "http-api-end-event-streams",
        () -> {
          List.copyOf(subscribers.keySet()).forEach(this::stop);
          return CompletableFuture.completedFuture(Done.done());
        });
    EventFanout.start(system, subscribers, settings.sse().buffer());
  }

  /** The type of the entry that ends a full page of backlog. */
  static final String PAGE_END = "PageEnd";

  /**
   * The entries after {@code lastSeen} (only live ones when empty) that {@code wanted} accepts, in batches (never
   * empty). Completes once the backlog is read; fails, with nothing left subscribed, when the journal cannot be
   * read in time.
   */
  CompletionStage<Source<List<EventFanout.Framed>, NotUsed>> after(OptionalLong requested,
      Predicate<JournalEntry> wanted) {
    Pair<ActorRef, Source<List<EventFanout.Framed>, NotUsed>> live = Source.<List<EventFanout.Framed>>actorRef(
            message -> message == Stop.STOP ? Optional.of(CompletionStrategy.immediately()) : Optional.empty(),
            message -> message == EventFanout.Overflow.OVERFLOW
                ? Optional.of(new BufferOverflowException("more than " + settings.sse().buffer()
                    + " entries waiting (tmux-orc.http.sse.buffer)"))
                : Optional.empty(),
            // the fanout counts the entries (at most sse.buffer): as many batches always fit
            settings.sse().buffer() + 1, OverflowStrategy.fail())
        .preMaterialize(system);
    ActorRef subscriber = live.first();
    // Subscribed (synchronously: the fanout hands batches to the members of this set) before the backlog is read:
    // whatever is journalled meanwhile arrives live, and the overlap is removed by sequence number below. Nothing
    // is lost between the two, nothing repeated.
    AtomicInteger waiting = new AtomicInteger();
    subscribers.put(subscriber, waiting);
    // An id above anything the journal handed out belongs to an earlier numbering (a journal file replaced or
    // deleted): that client starts over from the journal's beginning rather than waiting for the numbers to
    // catch up with it, and missing everything until then.
    OptionalLong lastSeen = requested.isPresent() && requested.getAsLong() > backend.lastSeq()
        ? OptionalLong.of(0) : requested;
    CompletionStage<List<JournalEntry>> backlog;
    try {
      backlog = lastSeen.isPresent()
          ? Endpoints.within(backend.eventsAfter(lastSeen.getAsLong(), settings.sse().resumeLimit()),
              settings.backendTimeout())
          : CompletableFuture.completedFuture(List.of());
    } catch (RuntimeException e) {
      stop(subscriber);
      throw e;
    }
    return backlog.handle((entries, failure) -> {
      if (failure != null) {
        stop(subscriber);
        throw failure instanceof CompletionException e ? e : new CompletionException(failure);
      }
      return stream(entries, lastSeen, live, waiting, wanted);
    });
  }

  private Source<List<EventFanout.Framed>, NotUsed> stream(List<JournalEntry> backlog, OptionalLong lastSeen,
      Pair<ActorRef, Source<List<EventFanout.Framed>, NotUsed>> live, AtomicInteger waiting,
      Predicate<JournalEntry> wanted) {
    long lastReplayed = backlog.isEmpty() ? lastSeen.orElse(Long.MIN_VALUE) : backlog.get(backlog.size() - 1).seq();
    // Framed as the stream reaches them, in batches like the live ones (a backlog may hold resume-limit entries).
    Source<List<EventFanout.Framed>, NotUsed> replayed = Source.from(backlog).filter(wanted::test)
        .map(EventFanout.Framed::of).grouped(EventFanout.MAX_BATCH);
    Source<List<EventFanout.Framed>, NotUsed> entries;
    if (backlog.size() >= settings.sse().resumeLimit()) {
      // A full page: there may be more in the journal than was read. The stream ends after it and the client
      // reconnects with the last id for the next page, so that live entries never jump over unread ones. The
      // page's last id must reach the client even when a filter drops that entry (else a page with nothing it
      // asked for would be read again for ever): an entry of type PageEnd then carries it.
      stop(live.first());
      entries = replayed;
      if (!wanted.test(backlog.get(backlog.size() - 1))) {
        entries = entries.concat(Source.single(List.of(EventFanout.Framed.of(pageEnd(lastReplayed)))));
      }
    } else {
      entries = replayed.concat(live.second().map(batch -> {
        waiting.addAndGet(-batch.size());
        return wanted(batch, lastReplayed, wanted);
      }));
    }
    return entries.filter(batch -> !batch.isEmpty())
        .recoverWithRetries(1, BufferOverflowException.class, () -> {
          observer.sseDropped();
          return Source.empty();
        })
        .watchTermination((notUsed, done) -> {
          observer.sseConnected();
          done.whenComplete((ok, failure) -> {
            // Counted before the subscription goes: whoever sees no subscriber also sees the disconnection.
            observer.sseDisconnected();
            stop(live.first());
          });
          return NotUsed.notUsed();
        });
  }

  // Most clients want every entry and are past the backlog: their batch is passed on as it is.
  private static List<EventFanout.Framed> wanted(List<EventFanout.Framed> batch, long lastReplayed,
      Predicate<JournalEntry> wanted) {
    if (wanted == ALL && (batch.isEmpty() || batch.get(0).entry().seq() > lastReplayed)) {
      return batch;
    }
    return batch.stream().filter(f -> f.entry().seq() > lastReplayed && wanted.test(f.entry())).toList();
  }

  /** The last entry of a full page: its id is the page's last, and it says to reconnect for more. */
  static JournalEntry pageEnd(long lastSeq) {
    return new JournalEntry(lastSeq, java.time.Instant.now(), PAGE_END, null,
        "{\"type\":\"" + PAGE_END + "\",\"lastSeq\":" + lastSeq
            + ",\"detail\":\"more entries follow: reconnect with Last-Event-ID " + lastSeq + "\"}");
  }

  /** Clients subscribed to live entries right now: each one's subscription ends with its stream. */
  int subscribers() {
    return subscribers.size();
  }

  private void stop(ActorRef subscriber) {
    subscribers.remove(subscriber);
    subscriber.tell(Stop.STOP, ActorRef.noSender());
  }
}
