package dev.tmuxorc.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The journal's one write connection, opened on demand and closed after any failure, so that the next attempt
 * opens the file afresh (its disk may have been remounted). A file deleted or replaced while open is noticed
 * before each write: in WAL mode SQLite would go on writing to the deleted inode without an error, losing
 * everything at the next restart, so the writer opens a new file instead. Every method blocks: the
 * Journal actor runs them one at a time on the blocking dispatcher; they are synchronized for the memory
 * visibility between the pool's threads and for the last flush at shutdown.
 */
final class JournalWriter {

  /** How the file is opened: {@link JournalStore#open} in production; tests add limits to the connection. */
  interface Opener {
    JournalStore open(Path file) throws SQLException;
  }

  /** What one retention chunk did, and the journal's state after it. */
  record Trim(int deleted, long sizeBytes, Optional<Instant> oldest, boolean recreated) { }

  /** The database's size after a write, and whether it went to a new file (the old one was deleted). */
  record Appended(long sizeBytes, boolean recreated) { }

  private final Path file;
  private final Opener opener;
  private JournalStore store;
  /** The open file's identity (device and inode), to notice that it was deleted or replaced. */
  private Object fileKey;
  private boolean recreated;

  JournalWriter(Path file, Opener opener) {
    this.file = file;
    this.opener = opener;
  }

  /** Opens the file when it is not open and reports what it holds. */
  synchronized JournalStore.Status open() throws SQLException {
    return guarded(() -> store().status());
  }

  /** Writes the entries in one transaction. */
  synchronized Appended append(List<JournalEntry> entries) throws SQLException {
    return guarded(() -> {
      JournalStore open = store();
      open.append(entries);
      return new Appended(open.sizeBytes(), takeRecreated());
    });
  }

  /** One retention chunk (see {@link JournalStore#trim}). */
  synchronized Trim trim(Optional<Instant> olderThan, long maxBytes, int chunk) throws SQLException {
    return guarded(() -> {
      JournalStore open = store();
      int deleted = open.trim(olderThan, maxBytes, chunk);
      return new Trim(deleted, open.sizeBytes(), open.oldest(), takeRecreated());
    });
  }

  synchronized void close() {
    if (store != null) {
      store.close();
      store = null;
    }
  }

  private JournalStore store() throws SQLException {
    if (store != null && !Objects.equals(fileKey, fileKey())) {
      close();
      recreated = true;
    }
    if (store == null) {
      store = opener.open(file);
      fileKey = fileKey();
    }
    return store;
  }

  private boolean takeRecreated() {
    boolean was = recreated;
    recreated = false;
    return was;
  }

  /** The file's device and inode; null when it is gone (or the file system has no such key). */
  private Object fileKey() {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
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
