package dev.tmuxorc.journal;

import java.time.Instant;

/**
 * The journal's state for status pages: its file, whether the last write or open worked, the last sequence
 * number handed out, entries and bytes on disk, and what happened to entries since start (written, dropped
 * after a failed write or when too many waited for a failing disk). {@code oldest} and {@code lastError} may be
 * null.
 */
public record JournalStats(String path, boolean writable, long lastSeq, long entries, long sizeBytes,
    long published, long written, long writeFailures, long dropped, long pending, Instant oldest,
    String lastError) { }
