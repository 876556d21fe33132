package dev.tmuxorc.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * The journal's SQLite file: schema, batched appends, filtered reads, retention and status, in plain JDBC.
 * Every method blocks and an instance is not thread-safe: the Journal actor's writer uses one from one thread
 * at a time, and readers (the actor's DB reads, {@code tmux-orc events}) open their own read-only ones. WAL
 * lets those readers run beside the writer.
 */
public final class JournalStore implements AutoCloseable {

  /** Kept in {@code PRAGMA user_version}; a file with a higher version was written by a newer tmux-orc. */
  static final int SCHEMA_VERSION = 1;

  private static final int BUSY_TIMEOUT_MS = 5_000;
  // After a checkpoint the -wal file is cut back to this size instead of keeping the size of its largest burst.
  private static final int WAL_SIZE_LIMIT = 4 * 1024 * 1024;
  private static final String COLUMNS = "seq, at, type, pane_id, json";

  private final Path file;
  private final Connection connection;

  private JournalStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens the journal for writing, creating the file, its directory and the schema when missing: WAL mode, and
   * {@code synchronous=FULL} so that a committed batch survives a power cut, not only a crash.
   */
  public static JournalStore open(Path file) throws SQLException {
    Path parent = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new SQLException("cannot create the directory " + parent + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.setJournalSizeLimit(WAL_SIZE_LIMIT);
    Connection connection = config.createConnection("jdbc:sqlite:" + file);
    JournalStore store = new JournalStore(file, connection);
    try {
      store.migrate();
      return store;
    } catch (SQLException e) {
      store.close();
      throw e;
    }
  }

  /** Opens an existing journal read-only; never creates nor changes the file. */
  public static JournalStore openReadOnly(Path file) throws SQLException {
    if (!Files.isRegularFile(file)) {
      throw new SQLException("no journal at " + file);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    JournalStore store = new JournalStore(file, config.createConnection("jdbc:sqlite:" + file));
    try {
      int version = store.userVersion();
      if (version == 0) {
        throw new SQLException("not a tmux-orc journal (no schema): " + file);
      }
      store.checkVersion(version);
      return store;
    } catch (SQLException e) {
      store.close();
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  private void migrate() throws SQLException {
    int version = userVersion();
    checkVersion(version);
    if (version == SCHEMA_VERSION) {
      return;
    }
    inTransaction(() -> {
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS entries (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, "
            + "type TEXT NOT NULL, pane_id TEXT, json TEXT NOT NULL)");
        s.execute("CREATE INDEX IF NOT EXISTS entries_at ON entries (at)");
        s.execute("CREATE INDEX IF NOT EXISTS entries_pane ON entries (pane_id, seq)");
        s.execute("CREATE INDEX IF NOT EXISTS entries_type ON entries (type, seq)");
        s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      }
    });
  }

  private void checkVersion(int version) throws SQLException {
    if (version > SCHEMA_VERSION) {
      throw new SQLException("the journal " + file + " has schema version " + version + ", newer than this "
          + "tmux-orc knows (" + SCHEMA_VERSION + "): use a newer tmux-orc or another journal.path");
    }
  }

  private int userVersion() throws SQLException {
    return (int) longQuery("PRAGMA user_version");
  }

  /** Writes the entries in one transaction: all or none. */
  public void append(List<JournalEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return;
    }
    inTransaction(() -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO entries (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
        for (JournalEntry e : entries) {
          insert.setLong(1, e.seq());
          insert.setLong(2, e.at().toEpochMilli());
          insert.setString(3, e.type());
          insert.setString(4, e.paneId());
          insert.setString(5, e.json());
          insert.addBatch();
        }
        insert.executeBatch();
      }
    });
  }

  /** Which entries a query returns. A limit of 0 or less means no limit. */
  public record Filter(long afterSeq, long beforeSeq, Optional<Instant> since, Set<String> types,
      Set<String> paneIds, int limit, boolean newest) {

    /** The first {@code limit} entries after {@code seq}, oldest first. */
    public static Filter after(long seq, int limit) {
      return new Filter(seq, Long.MAX_VALUE, Optional.empty(), Set.of(), Set.of(), limit, false);
    }

    /** The last {@code limit} entries, still returned oldest first. */
    public static Filter latest(int limit) {
      return new Filter(0, Long.MAX_VALUE, Optional.empty(), Set.of(), Set.of(), limit, true);
    }

    /** Only entries with a sequence number below {@code seq}. */
    public Filter before(long seq) {
      return new Filter(afterSeq, seq, since, types, paneIds, limit, newest);
    }

    /** Only entries that happened at or after {@code at}. */
    public Filter since(Instant at) {
      return new Filter(afterSeq, beforeSeq, Optional.of(at), types, paneIds, limit, newest);
    }

    /** Only entries of these types (exact names, e.g. "StateChanged"); empty = every type. */
    public Filter types(Collection<String> names) {
      return new Filter(afterSeq, beforeSeq, since, Set.copyOf(names), paneIds, limit, newest);
    }

    /** Only entries about these panes ({@code %N}); empty = every entry. */
    public Filter panes(Collection<String> ids) {
      return new Filter(afterSeq, beforeSeq, since, types, Set.copyOf(ids), limit, newest);
    }
  }

  /** The entries the filter selects, in sequence order. */
  public List<JournalEntry> query(Filter filter) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM entries WHERE seq > ? AND seq < ?");
    List<Object> args = new ArrayList<>(List.of(filter.afterSeq(), filter.beforeSeq()));
    filter.since().ifPresent(at -> {
      sql.append(" AND at >= ?");
      args.add(at.toEpochMilli());
    });
    in(sql, args, "type", filter.types());
    in(sql, args, "pane_id", filter.paneIds());
    sql.append(" ORDER BY seq").append(filter.newest() ? " DESC" : "").append(" LIMIT ?");
    args.add(filter.limit() > 0 ? filter.limit() : -1);
    List<JournalEntry> entries = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) {
        select.setObject(i + 1, args.get(i));
      }
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          entries.add(new JournalEntry(rows.getLong(1), Instant.ofEpochMilli(rows.getLong(2)), rows.getString(3),
              rows.getString(4), rows.getString(5)));
        }
      }
    }
    if (filter.newest()) {
      Collections.reverse(entries);
    }
    return entries;
  }

  private static void in(StringBuilder sql, List<Object> args, String column, Set<String> values) {
    if (!values.isEmpty()) {
      sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(values.size() - 1)).append("?)");
      args.addAll(values.stream().sorted().toList());
    }
  }

  /** The entry types present, e.g. to match a type given by a user case-insensitively. */
  public List<String> types() throws SQLException {
    List<String> types = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(
        "SELECT DISTINCT type FROM entries ORDER BY type")) {
      while (rows.next()) {
        types.add(rows.getString(1));
      }
    }
    return types;
  }

  /**
   * Deletes one chunk of the oldest entries beyond the limits: first those older than {@code olderThan}, else,
   * while the live data is over {@code maxBytes} (0 = no limit), the oldest by sequence. Returns how many were
   * deleted, 0 once within both limits; the caller repeats it, so that each chunk is a short transaction and
   * writes go on in between.
   *
   * <p>Freed pages stay in the file and SQLite reuses them for new entries (no incremental vacuum): the file
   * stops growing at about {@code maxBytes} and nothing is written twice, whereas incremental vacuum moves
   * pages (more writes through the WAL) only to hand space back that the journal will soon need again. The
   * size compared is therefore the used pages, (page_count - freelist_count) * page_size.
   */
  public int trim(Optional<Instant> olderThan, long maxBytes, int chunk) throws SQLException {
    if (olderThan.isPresent()) {
      int deleted = delete("DELETE FROM entries WHERE seq IN (SELECT seq FROM entries WHERE at < ? ORDER BY at "
          + "LIMIT ?)", olderThan.get().toEpochMilli(), chunk);
      if (deleted > 0) {
        return deleted;
      }
    }
    if (maxBytes <= 0) {
      return 0;
    }
    long used = usedBytes();
    if (used <= maxBytes) {
      return 0;
    }
    // Sequence numbers have few gaps, so their span is a cheap stand-in for count(*) on a large table.
    long span = longQuery("SELECT coalesce(max(seq) - min(seq) + 1, 0) FROM entries");
    if (span == 0) {
      return 0;
    }
    long bytesPerEntry = Math.max(1, used / span);
    long rows = Math.max(1, Math.min(chunk, (used - maxBytes + bytesPerEntry - 1) / bytesPerEntry));
    return delete("DELETE FROM entries WHERE seq IN (SELECT seq FROM entries ORDER BY seq LIMIT ?)", rows);
  }

  private int delete(String sql, Object... args) throws SQLException {
    int[] deleted = new int[1];
    inTransaction(() -> {
      try (PreparedStatement delete = connection.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) {
          delete.setObject(i + 1, args[i]);
        }
        deleted[0] = delete.executeUpdate();
      }
    });
    return deleted[0];
  }

  /** What the journal holds. */
  public record Status(long lastSeq, long entries, Optional<Instant> oldest, long sizeBytes) { }

  /** Counts every entry: meant for opening and occasional checks, not for every batch. */
  public Status status() throws SQLException {
    return new Status(lastSeq(), longQuery("SELECT count(*) FROM entries"), oldest(), sizeBytes());
  }

  /** When the oldest entry happened; empty when there is none. */
  public Optional<Instant> oldest() throws SQLException {
    long oldest = longQuery("SELECT coalesce(min(at), -1) FROM entries");
    return oldest < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest));
  }

  /** The highest sequence number written, 0 when empty. */
  public long lastSeq() throws SQLException {
    return longQuery("SELECT coalesce(max(seq), 0) FROM entries");
  }

  /** The database's size, page_count * page_size (the -wal file aside). */
  public long sizeBytes() throws SQLException {
    return longQuery("PRAGMA page_count") * longQuery("PRAGMA page_size");
  }

  /** The pages in use, freed ones left out: what retention's size limit compares. */
  public long usedBytes() throws SQLException {
    return (longQuery("PRAGMA page_count") - longQuery("PRAGMA freelist_count")) * longQuery("PRAGMA page_size");
  }

  /** Runs a statement on this connection, e.g. a PRAGMA; for tests and maintenance. */
  void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  private long longQuery(String sql) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rows = s.executeQuery(sql)) {
      return rows.next() ? rows.getLong(1) : 0;
    }
  }

  private interface Work {
    void run() throws SQLException;
  }

  private void inTransaction(Work work) throws SQLException {
    connection.setAutoCommit(false);
    try {
      work.run();
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      throw e;
    } finally {
      try {
        connection.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is broken; the next use reports it
      }
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing a connection that failed: nothing left to release
    }
  }
}
