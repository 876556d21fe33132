package dev.tmuxorc.actions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The PM reports' outbox, in the journal's SQLite file: what waits to be reported to each session's PM, and each
 * report from its start to its end, so that a report is delivered exactly once across restarts.
 *
 * <p>An entry is pending until a report takes it ({@link #begin}: in flight, with the report, in one
 * transaction); the report then ends delivered ({@link #delivered}: report and entries in one transaction) or
 * returned ({@link #returned}: nothing reached the PM; its entries are pending again). A report still in flight
 * when tmux-orc starts was cut off mid-delivery: its fate is read from the PM's screen ({@link #inFlight}). A new
 * entry for an agent and reason already pending is merged into it (newest line, count + 1), never dropped.
 * Blocking JDBC, not thread-safe: one owner at a time.
 */
public final class OutboxStore implements AutoCloseable {

  /** What waits for a session's PM: one agent, one reason, the line that says it. */
  public record Entry(long id, String session, String paneId, String reason, String digest, String line, int count,
      Instant createdAt, Instant updatedAt) { }

  /** One report: its number (typed into it, so the PM's screen can tell it was delivered), PM pane and text. */
  public record Report(long id, String session, String pmPane, String text, Instant startedAt) { }

  private static final int BUSY_TIMEOUT_MS = 5_000;

  private final Connection connection;

  private OutboxStore(Connection connection) {
    this.connection = connection;
  }

  /** Opens the outbox tables in the journal {@code file}, creating them when missing. */
  public static OutboxStore open(Path file) throws SQLException {
    java.nio.file.Path parent = file.toAbsolutePath().getParent();
    try {
      java.nio.file.Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create the directory " + parent + ": " + e.getMessage(), e);
    }
    return open("jdbc:sqlite:" + file);
  }

  /** An outbox in memory only (no journal file): lost with the process. */
  public static OutboxStore inMemory() throws SQLException {
    return open("jdbc:sqlite::memory:");
  }

  private static OutboxStore open(String url) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    OutboxStore store = new OutboxStore(config.createConnection(url));
    try (Statement s = store.connection.createStatement()) {
      s.executeUpdate("CREATE TABLE IF NOT EXISTS outbox_report (id INTEGER PRIMARY KEY AUTOINCREMENT, "
          + "session TEXT NOT NULL, pm_pane TEXT NOT NULL, text TEXT NOT NULL, state TEXT NOT NULL, "
          + "started_at INTEGER NOT NULL, ended_at INTEGER, why TEXT)");
      s.executeUpdate("CREATE TABLE IF NOT EXISTS outbox_entry (id INTEGER PRIMARY KEY AUTOINCREMENT, "
          + "session TEXT NOT NULL, pane_id TEXT NOT NULL, reason TEXT NOT NULL, digest TEXT NOT NULL, "
          + "line TEXT NOT NULL, count INTEGER NOT NULL, state TEXT NOT NULL, report_id INTEGER, "
          + "created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, delivered_at INTEGER)");
      s.executeUpdate("CREATE INDEX IF NOT EXISTS outbox_entry_state ON outbox_entry (state, session)");
      s.executeUpdate("CREATE INDEX IF NOT EXISTS outbox_entry_key ON outbox_entry (pane_id, reason, digest)");
    } catch (SQLException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /**
   * Adds an entry to its session's outbox, or merges it into the pending one of the same agent and reason (its
   * line and digest become the newest, its count grows); returns the entry's id.
   */
  public long add(String session, String paneId, String reason, String digest, String line, Instant at)
      throws SQLException {
    try (PreparedStatement merge = connection.prepareStatement("UPDATE outbox_entry SET digest = ?, line = ?, "
        + "count = count + 1, updated_at = ? WHERE state = 'pending' AND session = ? AND pane_id = ? AND reason = ? "
        + "RETURNING id")) {
      bind(merge, digest, line, at.toEpochMilli(), session, paneId, reason);
      try (ResultSet merged = merge.executeQuery()) {
        if (merged.next()) {
          return merged.getLong(1);
        }
      }
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox_entry (session, pane_id, "
        + "reason, digest, line, count, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, 'pending', ?, ?) "
        + "RETURNING id")) {
      bind(insert, session, paneId, reason, digest, line, at.toEpochMilli(), at.toEpochMilli());
      try (ResultSet inserted = insert.executeQuery()) {
        inserted.next();
        return inserted.getLong(1);
      }
    }
  }

  /** The pending entries of a session, oldest first. */
  public List<Entry> pending(String session) throws SQLException {
    return entries("WHERE state = 'pending' AND session = ? ORDER BY created_at, id", session);
  }

  /** The sessions with pending entries. */
  public List<String> sessionsWithPending() throws SQLException {
    List<String> sessions = new ArrayList<>();
    try (PreparedStatement q = connection.prepareStatement(
        "SELECT DISTINCT session FROM outbox_entry WHERE state = 'pending' ORDER BY session");
        ResultSet rows = q.executeQuery()) {
      while (rows.next()) {
        sessions.add(rows.getString(1));
      }
    }
    return sessions;
  }

  /** The entries a report took (for a report cut off mid-delivery). */
  public List<Entry> entriesOf(long reportId) throws SQLException {
    return entries("WHERE report_id = ? ORDER BY created_at, id", reportId);
  }

  /**
   * Starts a report of these pending entries: the report, in flight, and its entries, in flight with it, in one
   * transaction. {@code text} is made by {@code compose} from the report's number.
   */
  public Report begin(String session, String pmPane, List<Entry> entries, java.util.function.LongFunction<String> compose,
      Instant at) throws SQLException {
    return inTransaction(() -> {
      long id;
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO outbox_report (session, pm_pane, "
          + "text, state, started_at) VALUES (?, ?, '', 'in-flight', ?) RETURNING id")) {
        bind(insert, session, pmPane, at.toEpochMilli());
        try (ResultSet inserted = insert.executeQuery()) {
          inserted.next();
          id = inserted.getLong(1);
        }
      }
      String text = compose.apply(id);
      try (PreparedStatement update = connection.prepareStatement("UPDATE outbox_report SET text = ? WHERE id = ?")) {
        bind(update, text, id);
        update.executeUpdate();
      }
      try (PreparedStatement take = connection.prepareStatement(
          "UPDATE outbox_entry SET state = 'in-flight', report_id = ? WHERE id = ? AND state = 'pending'")) {
        for (Entry entry : entries) {
          bind(take, id, entry.id());
          take.addBatch();
        }
        take.executeBatch();
      }
      return new Report(id, session, pmPane, text, at);
    });
  }

  /**
   * A report that reaches nobody's prompt (no PM in the session, a dry-run): begun and delivered in one
   * transaction, so that no stop can leave it in flight.
   */
  public Report reportNow(String session, String pmPane, List<Entry> entries,
      java.util.function.LongFunction<String> compose, Instant at) throws SQLException {
    return inTransaction(() -> {
      Report report = begin(session, pmPane, entries, compose, at);
      end(report.id(), "delivered", "delivered", null, at);
      return report;
    });
  }

  /** The report reached the PM: it and its entries are delivered, in one transaction. */
  public void delivered(long reportId, Instant at) throws SQLException {
    end(reportId, "delivered", "delivered", null, at);
  }

  /** Nothing of the report reached the PM: it ends with why, and its entries are pending again. */
  public void returned(long reportId, String why, Instant at) throws SQLException {
    end(reportId, "returned", "pending", why, at);
  }

  private void end(long reportId, String reportState, String entryState, String why, Instant at)
      throws SQLException {
    inTransaction(() -> {
      endRows(reportId, reportState, entryState, why, at);
      if ("pending".equals(entryState)) {
        mergePending();
      }
      return null;
    });
  }

  // Entries back from a returned report beside newer ones of the same agent and reason: one row each, the newest
  // line, the counts added up.
  private void mergePending() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.executeUpdate("UPDATE outbox_entry SET count = (SELECT SUM(e.count) FROM outbox_entry e WHERE "
          + "e.state = 'pending' AND e.session = outbox_entry.session AND e.pane_id = outbox_entry.pane_id AND "
          + "e.reason = outbox_entry.reason) WHERE id IN (SELECT MAX(id) FROM outbox_entry WHERE state = 'pending' "
          + "GROUP BY session, pane_id, reason HAVING COUNT(*) > 1)");
      s.executeUpdate("DELETE FROM outbox_entry WHERE state = 'pending' AND id NOT IN (SELECT MAX(id) FROM "
          + "outbox_entry WHERE state = 'pending' GROUP BY session, pane_id, reason)");
    }
  }

  /**
   * Deletes what ended before {@code before}: delivered entries and ended reports (the outbox shares the journal
   * file's size budget); pending and in-flight ones stay whatever their age.
   */
  public int prune(Instant before) throws SQLException {
    return inTransaction(() -> {
      try (PreparedStatement entries = connection.prepareStatement(
          "DELETE FROM outbox_entry WHERE state = 'delivered' AND delivered_at < ?");
          PreparedStatement reports = connection.prepareStatement("DELETE FROM outbox_report WHERE state <> "
              + "'in-flight' AND ended_at < ? AND id NOT IN (SELECT report_id FROM outbox_entry WHERE report_id "
              + "IS NOT NULL)")) {
        bind(entries, before.toEpochMilli());
        bind(reports, before.toEpochMilli());
        return entries.executeUpdate() + reports.executeUpdate();
      }
    });
  }

  private void endRows(long reportId, String reportState, String entryState, String why, Instant at)
      throws SQLException {
    {
      try (PreparedStatement report = connection.prepareStatement(
          "UPDATE outbox_report SET state = ?, ended_at = ?, why = ? WHERE id = ?")) {
        bind(report, reportState, at.toEpochMilli(), why, reportId);
        report.executeUpdate();
      }
      try (PreparedStatement entries = connection.prepareStatement("UPDATE outbox_entry SET state = ?, "
          + "report_id = CASE WHEN ? = 'pending' THEN NULL ELSE report_id END, delivered_at = ? "
          + "WHERE report_id = ? AND state = 'in-flight'")) {
        bind(entries, entryState, entryState, "delivered".equals(entryState) ? at.toEpochMilli() : null, reportId);
        entries.executeUpdate();
      }
    }
  }

  /** Reports still in flight: cut off by a stop or a crash mid-delivery. */
  public List<Report> inFlight() throws SQLException {
    List<Report> reports = new ArrayList<>();
    try (PreparedStatement q = connection.prepareStatement("SELECT id, session, pm_pane, text, started_at "
        + "FROM outbox_report WHERE state = 'in-flight' ORDER BY id");
        ResultSet rows = q.executeQuery()) {
      while (rows.next()) {
        reports.add(new Report(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
            Instant.ofEpochMilli(rows.getLong(5))));
      }
    }
    return reports;
  }

  /** How many entries wait, are in flight and were delivered, and the sessions with entries waiting. */
  public record Counts(long pending, long inFlight, long delivered, List<String> sessionsPending) { }

  /**
   * The counts of the outbox in a journal file, read by a read-only connection of its own; empty when the file or
   * its outbox tables do not exist (PM reports never ran there).
   */
  public static Optional<Counts> counts(Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return Optional.empty();
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + file);
        PreparedStatement q = connection.prepareStatement("SELECT state, COUNT(*) FROM outbox_entry GROUP BY state");
        ResultSet rows = q.executeQuery()) {
      Map<String, Long> byState = new java.util.HashMap<>();
      while (rows.next()) {
        byState.put(rows.getString(1), rows.getLong(2));
      }
      return Optional.of(new Counts(byState.getOrDefault("pending", 0L), byState.getOrDefault("in-flight", 0L),
          byState.getOrDefault("delivered", 0L), new OutboxStore(connection).sessionsWithPending()));
    } catch (SQLException e) {
      return Optional.empty(); // no outbox tables: PM reports never ran with this journal
    }
  }

  /** The state of report {@code id} (in-flight, delivered, returned), or empty when there is no such report. */
  public Optional<String> reportState(long id) throws SQLException {
    try (PreparedStatement q = connection.prepareStatement("SELECT state FROM outbox_report WHERE id = ?")) {
      bind(q, id);
      try (ResultSet rows = q.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /** What waits for the PMs, read from a journal file: entries not yet delivered, and the latest reports. */
  public record Waiting(List<Entry> entries, List<String> entryStates, List<Report> reports,
      List<String> reportStates) { }

  /**
   * The entries pending or in flight (oldest first) and the latest {@code reports} reports (newest first) of the
   * outbox in a journal file, read by a read-only connection of its own; empty when the file or its outbox tables
   * do not exist (PM reports never ran there).
   */
  public static Optional<Waiting> waiting(Path file, int reports) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return Optional.empty();
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    try (Connection connection = config.createConnection("jdbc:sqlite:" + file)) {
      List<Entry> entries = new ArrayList<>();
      List<String> entryStates = new ArrayList<>();
      try (PreparedStatement q = connection.prepareStatement("SELECT id, session, pane_id, reason, digest, line, "
          + "count, created_at, updated_at, state FROM outbox_entry WHERE state IN ('pending', 'in-flight') "
          + "ORDER BY created_at, id");
          ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          entries.add(new Entry(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
              rows.getString(5), rows.getString(6), rows.getInt(7), Instant.ofEpochMilli(rows.getLong(8)),
              Instant.ofEpochMilli(rows.getLong(9))));
          entryStates.add(rows.getString(10));
        }
      }
      List<Report> latest = new ArrayList<>();
      List<String> reportStates = new ArrayList<>();
      try (PreparedStatement q = connection.prepareStatement("SELECT id, session, pm_pane, text, started_at, state "
          + "FROM outbox_report ORDER BY id DESC LIMIT ?")) {
        bind(q, reports);
        try (ResultSet rows = q.executeQuery()) {
          while (rows.next()) {
            latest.add(new Report(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                Instant.ofEpochMilli(rows.getLong(5))));
            reportStates.add(rows.getString(6));
          }
        }
      }
      return Optional.of(new Waiting(List.copyOf(entries), List.copyOf(entryStates), List.copyOf(latest),
          List.copyOf(reportStates)));
    } catch (SQLException e) {
      return Optional.empty(); // no outbox tables: PM reports never ran with this journal
    }
  }

  /**
   * When an entry of this agent, reason and digest was last delivered, or when the one in flight now was noted
   * (for its cooldown: the same need noted again while its report is being typed is the same need).
   */
  public Optional<Instant> lastDelivered(String paneId, String reason, String digest) throws SQLException {
    try (PreparedStatement q = connection.prepareStatement("SELECT MAX(COALESCE(delivered_at, updated_at)) "
        + "FROM outbox_entry WHERE pane_id = ? AND reason = ? AND digest = ? AND state IN ('delivered', "
        + "'in-flight')")) {
      bind(q, paneId, reason, digest);
      try (ResultSet rows = q.executeQuery()) {
        rows.next();
        long at = rows.getLong(1);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
      }
    }
  }

  private List<Entry> entries(String where, Object arg) throws SQLException {
    List<Entry> entries = new ArrayList<>();
    try (PreparedStatement q = connection.prepareStatement("SELECT id, session, pane_id, reason, digest, line, count, "
        + "created_at, updated_at FROM outbox_entry " + where)) {
      bind(q, arg);
      try (ResultSet rows = q.executeQuery()) {
        while (rows.next()) {
          entries.add(new Entry(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
              rows.getString(5), rows.getString(6), rows.getInt(7), Instant.ofEpochMilli(rows.getLong(8)),
              Instant.ofEpochMilli(rows.getLong(9))));
        }
      }
    }
    return entries;
  }

  private static void bind(PreparedStatement statement, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
  }

  private interface Work<T> {
    T run() throws SQLException;
  }

  private <T> T inTransaction(Work<T> work) throws SQLException {
    if (!connection.getAutoCommit()) {
      return work.run(); // part of the transaction under way
    }
    connection.setAutoCommit(false);
    try {
      T result = work.run();
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // closing: nothing left to do
    }
  }
}
