package dev.tmuxorc.journal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Journal entries for the API ({@code /api/journal}, {@code /api/actions}): read from the file on a read-only
 * connection of its own (WAL lets it run beside the writer), each as {@link JournalEntry#withSeq()}. Blocks:
 * call it off the actors' threads.
 */
public final class JournalQuery {

  private JournalQuery() {
  }

  /** The entries {@code filter} selects, oldest first; none while there is no journal file yet. */
  public static List<Map<String, Object>> entries(Path file, JournalStore.Filter filter) throws SQLException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try (JournalStore store = JournalStore.openReadOnly(file)) {
      return store.query(filter).stream().map(JournalEntry::withSeq).toList();
    }
  }
}
