package dev.tmuxorc.journal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The journal's counters, updated by the Journal actor and readable from any thread (a metrics scrape reads
 * them without asking the actor).
 */
public final class JournalCounters {

  final AtomicBoolean writable = new AtomicBoolean();
  final AtomicLong lastSeq = new AtomicLong();
  final AtomicLong entries = new AtomicLong();
  final AtomicLong sizeBytes = new AtomicLong();
  final AtomicLong published = new AtomicLong();
  final AtomicLong written = new AtomicLong();
  final AtomicLong writeFailures = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong pending = new AtomicLong();
  final AtomicReference<Instant> oldest = new AtomicReference<>();
  final AtomicReference<String> lastError = new AtomicReference<>();

  public boolean writable() {
    return writable.get();
  }

  public long lastSeq() {
    return lastSeq.get();
  }

  public long entries() {
    return entries.get();
  }

  public long sizeBytes() {
    return sizeBytes.get();
  }

  public long published() {
    return published.get();
  }

  public long written() {
    return written.get();
  }

  public long writeFailures() {
    return writeFailures.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public long pending() {
    return pending.get();
  }

  /** A consistent-enough copy for status pages (each value is read once, not all under one lock). */
  public JournalStats snapshot(Path file) {
    return new JournalStats(file.toString(), writable(), lastSeq(), entries(), sizeBytes(), published(), written(),
        writeFailures(), dropped(), pending(), oldest.get(), lastError.get());
  }
}
