package dev.tmuxorc.journal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The journal's one write connection, opened on demand and closed after any failure, so that the next attempt
 * opens the file afresh (it may have been deleted or moved, or its disk remounted). Every method blocks: the
 * Journal actor runs them one at a time on the blocking dispatcher; they are synchronized for the memory
 * visibility between the pool's threads and for the last flush at shutdown.
 */
final class JournalWriter {

  /** How the file is opened: {@link JournalStore#open} in production; tests add limits to the connection. */
  interface Opener {
    JournalStore open(Path file) throws SQLException;
  }

  /** What one retention chunk did, and the journal's state after it. */
  record Trim(int deleted, long sizeBytes, Optional<Instant> oldest) { }

  private final Path file;
  private final Opener opener;
  private JournalStore store;

  JournalWriter(Path file, Opener opener) {
    this.file = file;
    this.opener = opener;
  }

  /** Opens the file when it is not open and reports what it holds. */
  synchronized JournalStore.Status open() throws SQLException {
    return guarded(() -> store().status());
  }

  /** Writes the entries in one transaction; returns the database's size afterwards. */
  synchronized long append(List<JournalEntry> entries) throws SQLException {
    return guarded(() -> {
      JournalStore open = store();
      open.append(entries);
      return open.sizeBytes();
    });
  }

  /** One retention chunk (see {@link JournalStore#trim}). */
  synchronized Trim trim(Optional<Instant> olderThan, long maxBytes, int chunk) throws SQLException {
    return guarded(() -> {
      JournalStore open = store();
      int deleted = open.trim(olderThan, maxBytes, chunk);
      return new Trim(deleted, open.sizeBytes(), open.oldest());
    });
  }

  synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  private JournalStore store() throws SQLException {
    if (store == null) {
      store = opener.open(file);
    }
    return store;
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T guarded(Work<T> work) throws SQLException {
    try {
      return work.run();
    } catch (SQLException | RuntimeException e) {
      close();
      throw e;
    }
  }
}
