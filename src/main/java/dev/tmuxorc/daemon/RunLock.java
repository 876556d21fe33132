package dev.tmuxorc.daemon;

import dev.tmuxorc.config.BaseDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One monitor per base directory: the monitor holds an exclusive lock on {@code BASE/monitor.run.lock} for its
 * whole life (the operating system releases it when the process ends, however it ends). Two monitors would share
 * one journal and one PID file, and each would think it is the one.
 */
public final class RunLock {

  // Held for the life of the process (a lock whose channel is collected is released), per base directory.
  private static final Map<Path, FileLock> HELD = new HashMap<>();

  private RunLock() {
  }

  /** Takes the lock; empty when another process holds it. */
  public static synchronized Optional<FileLock> acquire(BaseDir base) {
    FileLock held = HELD.get(base.runLock());
    if (held != null && held.isValid()) {
      return Optional.of(held);
    }
    try {
      Files.createDirectories(base.path());
      FileChannel channel = FileChannel.open(base.runLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      HELD.put(base.runLock(), lock);
      return Optional.of(lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + base.runLock() + ": " + e.getMessage(), e);
    }
  }
}
