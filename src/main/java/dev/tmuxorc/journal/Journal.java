package dev.tmuxorc.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.agent.AgentEvent;
import dev.tmuxorc.fleet.FleetSample;
import dev.tmuxorc.json.Json;
import dev.tmuxorc.json.JsonEvent;
import dev.tmuxorc.monitor.CycleReport;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The SQLite journal. Every {@link AgentEvent}, {@link CycleReport} and {@link FleetSample} on the event stream,
 * and every {@link Record} sent to it, gets the next sequence number and is published at once as a
 * {@link JournalEntry} (live subscribers never wait for the disk), then written in batches, one transaction
 * each, by this single writer. The JDBC work runs on Pekko's blocking dispatcher, so the actor may be spawned
 * anywhere and never blocks its thread (except for the last flush in PostStop). A failing disk costs the failed
 * batches and one WARN; publishing, reads from memory and the monitoring cycle go on.
 */
public final class Journal extends AbstractBehavior<Journal.Command> {

  public sealed interface Command { }

  /** Journals an entry of any type (an action taken or suppressed...); its JSON gets type, at and paneId. */
  public record Record(String type, String paneId, Instant at, Map<String, Object> json) implements Command {
    public Record {
      if (type == null || type.isBlank()) {
        throw new IllegalArgumentException("a journal entry needs a type");
      }
      Objects.requireNonNull(at, "at");
      // a copy: the map is serialized later, on the journal's thread (LinkedHashMap keeps order and nulls)
      json = json == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(json));
    }
  }

  /**
   * Up to {@code limit} entries with a sequence number above {@code afterSeq}, oldest first: from memory when
   * it still holds them, else from the file (on the blocking dispatcher) followed by memory.
   */
  public record Read(long afterSeq, int limit, ActorRef<List<JournalEntry>> replyTo) implements Command { }

  public record GetStats(ActorRef<JournalStats> replyTo) implements Command { }

  private record Published(Object event) implements Command { }

  private record Opened(JournalStore.Status status, Throwable error) implements Command { }

  private record Written(List<JournalEntry> batch, JournalWriter.Appended appended, Throwable error)
      implements Command { }

  private record Trimmed(JournalWriter.Trim trim, Throwable error) implements Command { }

  private record FromDisk(Read request, List<JournalEntry> entries, List<JournalEntry> fromMemory,
      Throwable error) implements Command { }

  /** Timer messages, which are also their timers' keys. */
  private enum Tick implements Command { FLUSH, RETRY, RETENTION, FIRST_OPEN_WAIT }

  /** Rows deleted per retention transaction: short enough that a batch never waits long behind one. */
  private static final int TRIM_CHUNK = 1_000;
  /** How long entries wait for their numbers while the file opens at start, before numbering from the clock. */
  private static final Duration FIRST_OPEN_WAIT = Duration.ofSeconds(2);

  /**
   * A journal writing to {@code file} (usually {@code settings.file(BaseDir.current())}); keep {@code counters}
   * to read its numbers without asking. Spawn it as a child of the guardian, on any dispatcher; when it stops
   * (or the system terminates) it writes what is pending before closing the file.
   */
  public static Behavior<Command> create(JournalSettings settings, Path file, JournalCounters counters) {
    return create(settings, file, counters, JournalStore::open);
  }

  public static Behavior<Command> create(JournalSettings settings, Path file) {
    return create(settings, file, new JournalCounters());
  }

  static Behavior<Command> create(JournalSettings settings, Path file, JournalCounters counters,
      JournalWriter.Opener opener) {
    Behavior<Command> journal = Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.setLoggerName(Journal.class);
      var stream = context.getSystem().eventStream();
      stream.tell(new EventStream.Subscribe<>(AgentEvent.class,
          context.messageAdapter(AgentEvent.class, Published::new)));
      stream.tell(new EventStream.Subscribe<>(CycleReport.class,
          context.messageAdapter(CycleReport.class, Published::new)));
      stream.tell(new EventStream.Subscribe<>(FleetSample.class,
          context.messageAdapter(FleetSample.class, Published::new)));
      return new Journal(context, timers, settings, file, counters, new JournalWriter(file, opener));
    }));
    // Handlers catch what they expect; anything else costs that one message, never the journal's state.
    return Behaviors.supervise(journal).onFailure(Exception.class, SupervisorStrategy.resume());
  }

  private final TimerScheduler<Command> timers;
  private final JournalSettings settings;
  private final Path file;
  private final JournalCounters counters;
  private final JournalWriter writer;
  private final Executor blocking;
  private final RecentEntries recent;
  /** Numbered and published, not yet handed to the writer. */
  private final ArrayDeque<JournalEntry> pending = new ArrayDeque<>();
  /** Arrived while the file opened at start: they get their numbers once its last seq is known. */
  private final List<JournalEntry> unnumbered = new ArrayList<>();
  private long nextSeq;
  /** The writer's job in flight (open, write or retention chunk); one at a time. */
  private CompletableFuture<?> job;
  private boolean flushDue;
  private boolean waitingRetry;
  private Duration backoff;
  /** A failure was warned about and no write has worked since: later failures are not warned about again. */
  private boolean failing;
  private long droppedWhileFailing;
  private boolean trimming;
  private Optional<Instant> trimCutoff = Optional.empty();
  private long trimmed;

  private Journal(ActorContext<Command> context, TimerScheduler<Command> timers, JournalSettings settings,
      Path file, JournalCounters counters, JournalWriter writer) {
    super(context);
    this.timers = timers;
    this.settings = settings;
    this.file = file;
    this.counters = counters;
    this.writer = writer;
    this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    this.recent = new RecentEntries(settings.memoryEntries());
    this.backoff = settings.retryMin();
    job = run(writer::open, Opened::new);
    timers.startSingleTimer(Tick.FIRST_OPEN_WAIT, Tick.FIRST_OPEN_WAIT, FIRST_OPEN_WAIT);
    if (retains()) {
      timers.startTimerWithFixedDelay(Tick.RETENTION, Tick.RETENTION, settings.checkInterval());
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Published.class, this::onPublished)
        .onMessage(Record.class, this::onRecord)
        .onMessage(Read.class, this::onRead)
        .onMessage(FromDisk.class, this::onFromDisk)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(Written.class, this::onWritten)
        .onMessage(Trimmed.class, this::onTrimmed)
        .onMessageEquals(Tick.FLUSH, this::onFlush)
        .onMessageEquals(Tick.RETRY, this::onRetry)
        .onMessageEquals(Tick.RETENTION, this::onRetention)
        .onMessageEquals(Tick.FIRST_OPEN_WAIT, this::onFirstOpenWait)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  // --- entries in

  private Behavior<Command> onPublished(Published published) {
    Object event = published.event();
    Instant at = event instanceof AgentEvent e ? e.at()
        : event instanceof CycleReport r ? r.at() : ((JsonEvent) event).at();
    String paneId = event instanceof AgentEvent e ? e.agent().paneId().value() : null;
    accept(Json.type(event), paneId, at, Json.of(event));
    return this;
  }

  private Behavior<Command> onRecord(Record record) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", record.type());
    json.put("at", record.at().toString());
    json.put("atMillis", record.at().toEpochMilli());
    if (record.paneId() != null) {
      json.put("paneId", record.paneId());
    }
    record.json().forEach(json::putIfAbsent);
    accept(record.type(), record.paneId(), record.at(), json);
    return this;
  }

  private void accept(String type, String paneId, Instant at, Map<String, Object> json) {
    String text;
    try {
      text = Json.MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      getContext().getLog().warn("journal: a {} entry cannot be written as JSON, skipped: {}", type, e.getMessage());
      return;
    }
    JournalEntry entry = new JournalEntry(0, at, type, paneId, text);
    if (nextSeq == 0) {
      unnumbered.add(entry);
    } else {
      number(entry);
    }
  }

  private void number(JournalEntry unnumbered) {
    JournalEntry entry = new JournalEntry(nextSeq++, unnumbered.at(), unnumbered.type(), unnumbered.paneId(),
        unnumbered.json());
    recent.add(entry);
    counters.lastSeq.set(entry.seq());
    counters.published.incrementAndGet();
    getContext().getSystem().eventStream().tell(new EventStream.Publish<>(entry));
    pending.addLast(entry);
    if (pending.size() > settings.memoryEntries()) {
      // The disk is failing or slower than the entries come: bound the memory, oldest first.
      pending.removeFirst();
      dropped(1);
    }
    counters.pending.set(pending.size());
    if (pending.size() >= settings.batchSize()) {
      next();
    } else if (!timers.isTimerActive(Tick.FLUSH)) {
      timers.startSingleTimer(Tick.FLUSH, Tick.FLUSH, settings.flushInterval());
    }
  }

  /** Numbers the entries that waited for the file to open, from {@code first} on. */
  /**
   * The first number of this run after a file whose last stored entry is {@code lastStored}. The last run may
   * have published numbers it never stored (killed within a flush interval, a full disk): at most the entries
   * it held in memory, so this run starts that far above, and a client resuming from one of them is never
   * handed a reused number.
   */
  private long firstAfter(long lastStored) {
    return lastStored == 0 ? 1 : lastStored + 1 + settings.memoryEntries();
  }

  private void startNumbering(long first) {
    nextSeq = first;
    counters.lastSeq.set(first - 1);
    unnumbered.forEach(this::number);
    unnumbered.clear();
  }

  /**
   * Where numbering starts when the file cannot tell its last seq: the clock in microseconds, above anything
   * a run numbering from its file could reach, and above this kind of start's earlier runs unless they
   * averaged more than a million entries a second. Sequence numbers only have to grow, not to be small.
   */
  private static long clockFloor() {
    return TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
  }

  // --- the writer's jobs

  private Behavior<Command> onOpened(Opened opened) {
    job = null;
    if (opened.error() == null) {
      JournalStore.Status status = opened.status();
      if (nextSeq == 0) {
        startNumbering(firstAfter(status.lastSeq()));
      } else {
        nextSeq = Math.max(nextSeq, status.lastSeq() + 1);
      }
      timers.cancel(Tick.FIRST_OPEN_WAIT);
      counters.writable.set(true);
      counters.entries.set(status.entries());
      counters.sizeBytes.set(status.sizeBytes());
      counters.oldest.set(status.oldest().orElse(null));
      getContext().getLog().info("journal {}: {} entries, last seq {}", file, status.entries(), status.lastSeq());
      onRetention();
    } else {
      if (nextSeq == 0) {
        startNumbering(clockFloor());
      }
      timers.cancel(Tick.FIRST_OPEN_WAIT);
      failed("opening it", opened.error());
    }
    next();
    return this;
  }

  private Behavior<Command> onFirstOpenWait() {
    if (nextSeq == 0) {
      getContext().getLog().warn("journal {} is slow to open: numbering entries from the clock instead of its last "
          + "sequence number", file);
      startNumbering(clockFloor());
    }
    return this;
  }

  private Behavior<Command> onFlush() {
    flushDue = true;
    next();
    return this;
  }

  private Behavior<Command> onRetry() {
    waitingRetry = false;
    flushDue = true;
    next();
    return this;
  }

  private boolean retains() {
    return !settings.maxAge().isZero() || settings.maxSizeBytes() > 0;
  }

  private Behavior<Command> onRetention() {
    if (!trimming && retains()) {
      trimming = true;
      trimmed = 0;
      trimCutoff = settings.maxAge().isZero() ? Optional.empty() : Optional.of(Instant.now().minus(settings.maxAge()));
    }
    next();
    return this;
  }

  /** Starts the writer's next job, if it is free: the next batch when one is due, else a retention chunk. */
  private void next() {
    if (job != null || waitingRetry || nextSeq == 0) {
      return;
    }
    if (!pending.isEmpty() && (flushDue || pending.size() >= settings.batchSize())) {
      List<JournalEntry> batch = new ArrayList<>(Math.min(pending.size(), settings.batchSize()));
      while (batch.size() < settings.batchSize() && !pending.isEmpty()) {
        batch.add(pending.removeFirst());
      }
      if (pending.isEmpty()) {
        // What arrives during this write starts a new batch and its own timer.
        flushDue = false;
        timers.cancel(Tick.FLUSH);
      }
      counters.pending.set(pending.size());
      job = run(() -> writer.append(batch), (appended, error) -> new Written(batch, appended, error));
    } else if (pending.isEmpty()) {
      flushDue = false;
      if (trimming) {
        Optional<Instant> cutoff = trimCutoff;
        job = run(() -> writer.trim(cutoff, settings.maxSizeBytes(), TRIM_CHUNK), Trimmed::new);
      }
    }
  }

  private Behavior<Command> onWritten(Written written) {
    job = null;
    int count = written.batch().size();
    if (written.error() == null) {
      if (written.appended().recreated()) {
        recreated(written.batch().get(0).seq());
      }
      counters.written.addAndGet(count);
      counters.entries.addAndGet(count);
      counters.sizeBytes.set(written.appended().sizeBytes());
      counters.oldest.compareAndSet(null, written.batch().get(0).at());
      writable();
    } else {
      counters.writeFailures.incrementAndGet();
      dropped(count);
      failed("writing " + count + " entries", written.error());
    }
    next();
    return this;
  }

  private Behavior<Command> onTrimmed(Trimmed result) {
    job = null;
    if (result.error() != null) {
      trimming = false;
      failed("deleting old entries", result.error());
    } else {
      JournalWriter.Trim trim = result.trim();
      if (trim.recreated()) {
        recreated(nextSeq);
      }
      trimmed += trim.deleted();
      counters.entries.updateAndGet(n -> Math.max(0, n - trim.deleted()));
      counters.sizeBytes.set(trim.sizeBytes());
      counters.oldest.set(trim.oldest().orElse(null));
      writable();
      if (trim.deleted() == 0) {
        trimming = false;
        if (trimmed > 0) {
          getContext().getLog().info("journal retention deleted {} entries (limits: {}, {} bytes)", trimmed,
              settings.maxAge().isZero() ? "any age" : settings.maxAge(), settings.maxSizeBytes());
        }
      }
    }
    next();
    return this;
  }

  /** The file was deleted or replaced under the writer, which started a new one. */
  private void recreated(long fromSeq) {
    counters.entries.set(0);
    counters.oldest.set(null);
    getContext().getLog().warn("journal {} was deleted or replaced while open: a new file holds the entries from "
        + "seq {} on", file, fromSeq);
  }

  private void dropped(long count) {
    counters.dropped.addAndGet(count);
    droppedWhileFailing += count;
  }

  /** A write or open failed: warn once per outage, and wait before the next attempt. */
  private void failed(String what, Throwable error) {
    String message = describe(error);
    counters.writable.set(false);
    counters.lastError.set(message);
    if (!failing) {
      failing = true;
      getContext().getLog().warn("journal {} is not writable ({} failed: {}). Monitoring goes on and entries are "
          + "still published live; entries that cannot be written are dropped and writing is retried (further "
          + "failures are logged at DEBUG)", file, what, message);
    } else {
      getContext().getLog().debug("journal {}: {} failed again: {}", file, what, message);
    }
    waitingRetry = true;
    timers.startSingleTimer(Tick.RETRY, Tick.RETRY, backoff);
    backoff = backoff.multipliedBy(2).compareTo(settings.retryMax()) > 0 ? settings.retryMax()
        : backoff.multipliedBy(2);
  }

  /** A write worked: the outage, if any, is over. */
  private void writable() {
    counters.writable.set(true);
    backoff = settings.retryMin();
    if (failing) {
      failing = false;
      getContext().getLog().info("journal writable again: {} ({} entries dropped while it was not)", file,
          droppedWhileFailing);
    }
    droppedWhileFailing = 0;
  }

  private static String describe(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof SQLException ? cause.getMessage() : cause.toString();
  }

  // --- reads

  private Behavior<Command> onRead(Read read) {
    if (read.limit() <= 0) {
      read.replyTo().tell(List.of());
      return this;
    }
    List<JournalEntry> fromMemory = recent.after(read.afterSeq(), read.limit());
    if (recent.covers(read.afterSeq())) {
      read.replyTo().tell(fromMemory);
      return this;
    }
    // Older than memory: the file's entries up to the first one memory holds, on a read-only connection of its
    // own (WAL readers do not wait for the writer). Then memory's, which include entries not written yet.
    long before = recent.isEmpty() ? Long.MAX_VALUE : recent.firstSeq();
    JournalStore.Filter filter = JournalStore.Filter.after(read.afterSeq(), read.limit()).before(before);
    run(() -> {
      try (JournalStore store = JournalStore.openReadOnly(file)) {
        return store.query(filter);
      }
    }, (entries, error) -> new FromDisk(read, entries, fromMemory, error));
    return this;
  }

  private Behavior<Command> onFromDisk(FromDisk read) {
    List<JournalEntry> entries = new ArrayList<>();
    if (read.error() == null) {
      entries.addAll(read.entries());
    } else if (failing) {
      getContext().getLog().debug("journal {}: cannot read: {}", file, describe(read.error()));
    } else {
      getContext().getLog().warn("journal {}: cannot read entries after {}, answering from memory: {}", file,
          read.request().afterSeq(), describe(read.error()));
    }
    for (JournalEntry entry : read.fromMemory()) {
      if (entries.size() >= read.request().limit()) {
        break;
      }
      entries.add(entry);
    }
    read.request().replyTo().tell(entries);
    return this;
  }

  private Behavior<Command> onGetStats(GetStats get) {
    get.replyTo().tell(counters.snapshot(file));
    return this;
  }

  // --- shutdown

  /**
   * Waits for the job in flight and writes what is still pending, on this thread: blocking a stopping actor for
   * one last batch is the price of not losing the entries of the last flush interval.
   */
  private Behavior<Command> onPostStop() {
    try {
      if (job != null) {
        // a batch takes milliseconds; a disk that hangs must not eat the shutdown's 10 s (the hidden tmux
        // session is removed after the actors stop)
        job.get(3, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // its failure was its own batch's; what is pending is written below all the same
    }
    try {
      if (nextSeq == 0) {
        startNumbering(firstAfter(writer.open().lastSeq()));
      }
      List<JournalEntry> rest = new ArrayList<>(pending);
      writer.append(rest);
      counters.written.addAndGet(rest.size());
      counters.entries.addAndGet(rest.size());
      pending.clear();
    } catch (SQLException | RuntimeException e) {
      getContext().getLog().warn("journal {}: {} entries not written at shutdown: {}", file,
          pending.size() + unnumbered.size(), describe(e));
    } finally {
      counters.pending.set(0);
      writer.close();
    }
    return this;
  }

  /** Runs blocking work on the blocking dispatcher and sends its outcome back as a message. */
  private <T> CompletableFuture<T> run(Callable<T> work, BiFunction<T, Throwable, Command> outcome) {
    CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> {
      try {
        return work.call();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blocking);
    getContext().pipeToSelf(future, (value, error) -> outcome.apply(value, error));
    return future;
  }
}
