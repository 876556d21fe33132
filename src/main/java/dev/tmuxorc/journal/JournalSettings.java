package dev.tmuxorc.journal;

import static dev.tmuxorc.config.ConfigValues.atLeast;
import static dev.tmuxorc.config.ConfigValues.invalid;
import static dev.tmuxorc.config.ConfigValues.notNegative;
import static dev.tmuxorc.config.ConfigValues.positive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.tmuxorc.config.BaseDir;
import dev.tmuxorc.config.SettingsException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code tmux-orc.journal} settings, read and validated once. A zero {@code maxAge} or {@code maxSizeBytes}
 * turns that retention limit off.
 */
public record JournalSettings(boolean enabled, Optional<Path> path, Duration maxAge, long maxSizeBytes,
    Duration checkInterval, int batchSize, Duration flushInterval, int memoryEntries, Duration retryMin,
    Duration retryMax) {

  private static final String ROOT = "tmux-orc.journal.";

  /**
   * Reads the {@code tmux-orc.journal} tree of a resolved config.
   *
   * @throws SettingsException naming the full key of a bad value
   */
  public static JournalSettings from(Config root) {
    try {
      int batchSize = atLeast(root, ROOT + "batch-size", 1);
      int memoryEntries = atLeast(root, ROOT + "memory-entries", 1);
      if (memoryEntries < batchSize) {
        throw invalid(ROOT + "memory-entries", "must be at least batch-size (" + batchSize + "), got " + memoryEntries);
      }
      Duration retryMin = positive(root, ROOT + "retry-backoff.min");
      Duration retryMax = positive(root, ROOT + "retry-backoff.max");
      if (retryMax.compareTo(retryMin) < 0) {
        throw invalid(ROOT + "retry-backoff.max", "must be at least retry-backoff.min (" + retryMin + "), got " + retryMax);
      }
      long maxSize = root.getBytes(ROOT + "retention.max-size");
      if (maxSize < 0) {
        throw invalid(ROOT + "retention.max-size", "must not be negative, got " + maxSize);
      }
      return new JournalSettings(root.getBoolean(ROOT + "enabled"), path(root), notNegative(root, ROOT + "retention.max-age"),
          maxSize, positive(root, ROOT + "retention.check-interval"), batchSize, positive(root, ROOT + "flush-interval"),
          memoryEntries, retryMin, retryMax);
    } catch (ConfigException e) {
      throw new SettingsException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /** The journal file: {@code path} when set (relative to the base directory), else the base directory's. */
  public Path file(BaseDir base) {
    return path.map(p -> base.path().resolve(p)).orElse(base.journal());
  }

  private static Optional<Path> path(Config c) {
    String text = c.getString(ROOT + "path").strip();
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.startsWith("~/")) {
      text = System.getProperty("user.home") + text.substring(1);
    }
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      throw invalid(ROOT + "path", "not a file path: " + e.getMessage());
    }
  }




}
