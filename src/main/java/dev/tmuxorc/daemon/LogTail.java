package dev.tmuxorc.daemon;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** The end of a log file, and following it like {@code tail -F}: across rotation and truncation. */
public final class LogTail {

  private static final int CHUNK = 8192;

  private LogTail() {
  }

  /** The last {@code n} lines of {@code file}, read from its end (a rolled log may be megabytes). */
  public static List<String> last(Path file, int n) throws IOException {
    return last(file, 0, n);
  }

  /** The last {@code n} lines of what {@code file} holds after byte {@code from}. */
  public static List<String> last(Path file, long from, int n) throws IOException {
    if (n <= 0) {
      return List.of();
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long end = raf.length();
      long start = from;
      int seen = 0;
      byte[] buffer = new byte[CHUNK];
      long position = end;
      search:
      while (position > from) {
        int length = (int) Math.min(CHUNK, position - from);
        long chunkStart = position - length;
        raf.seek(chunkStart);
        raf.readFully(buffer, 0, length);
        for (int i = length - 1; i >= 0; i--) {
          // the n-th line end from the back, not counting the one that ends the last line
          if (buffer[i] == '\n' && chunkStart + i != end - 1 && ++seen == n) {
            start = chunkStart + i + 1;
            break search;
          }
        }
        position = chunkStart;
      }
      byte[] tail = new byte[(int) (end - start)];
      raf.seek(start);
      raf.readFully(tail);
      return new String(tail, StandardCharsets.UTF_8).lines().toList();
    }
  }

  /**
   * Passes every line appended to {@code file} from {@code position} on to {@code out}, polling every
   * {@code pollMillis}, until {@code keepGoing} says stop. When the file shrinks (truncated) or is replaced (its
   * inode changes: rolled over), it is read again from its start.
   */
  public static void follow(Path file, long position, long pollMillis, Consumer<String> out,
      BooleanSupplier keepGoing) throws IOException, InterruptedException {
    Object identity = identity(file);
    long at = position;
    while (keepGoing.getAsBoolean()) {
      Object now = identity(file);
      if (now != null) {
        long size = Files.size(file);
        if (!Objects.equals(now, identity) || size < at) {
          identity = now;
          at = 0;
        }
        if (size > at) {
          long next = read(file, at, size, out);
          if (next > at) {
            at = next;
            continue; // more may have come meanwhile
          }
        }
      }
      Thread.sleep(pollMillis);
    }
  }

  /** Where {@code file} ends now: follow from here to see only what comes next. */
  public static long end(Path file) throws IOException {
    return Files.exists(file) ? Files.size(file) : 0;
  }

  /** Passes on the complete lines between {@code from} and {@code to}; returns where the next read starts. */
  private static long read(Path file, long from, long to, Consumer<String> out) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = Math.min(to, raf.length()) - from;
      if (length <= 0) {
        return from;
      }
      byte[] bytes = new byte[(int) Math.min(length, 1 << 20)];
      raf.seek(from);
      raf.readFully(bytes);
      int lastNewline = -1;
      for (int i = bytes.length - 1; i >= 0; i--) {
        if (bytes[i] == '\n') {
          lastNewline = i;
          break;
        }
      }
      if (lastNewline < 0) {
        // a line still being written (or longer than the buffer: pass it on as it is)
        if (bytes.length < (1 << 20)) {
          return from;
        }
        out.accept(new String(bytes, StandardCharsets.UTF_8));
        return from + bytes.length;
      }
      // decoding whole lines only, so that a UTF-8 character split by a write in progress stays whole
      new String(bytes, 0, lastNewline, StandardCharsets.UTF_8).lines().forEach(out);
      return from + lastNewline + 1;
    }
  }

  private static Object identity(Path file) throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
    } catch (java.nio.file.NoSuchFileException e) {
      return null; // between a rename and the new file's creation
    }
  }
}
