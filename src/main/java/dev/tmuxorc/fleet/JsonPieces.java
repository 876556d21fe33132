package dev.tmuxorc.fleet;

import org.apache.pekko.util.ByteString;
import org.apache.pekko.util.ByteStringBuilder;

/**
 * One answer of {@code /api/agents} being put together: the agents' kept JSON halves are appended as they are
 * (a rope, no copy), and the few bytes that change with each request ({@code timeInStateMs}, commas) are written
 * into shared chunks and appended as slices of them. Writing them with ByteStringBuilder.putByte and
 * Long.toString instead allocated ~0.4 MB per answer at 1,000 agents in small copies and strings, a young
 * collection every ~20 requests (docs/benchmarks.md, run 7). Not thread-safe: one per answer.
 */
final class JsonPieces {

  private static final int CHUNK = 16 * 1024;
  private static final ByteString OPEN = ByteString.fromArrayUnsafe(new byte[] {'['}, 0, 1);
  private static final ByteString CLOSE = ByteString.fromArrayUnsafe(new byte[] {']'}, 0, 1);
  private static final ByteString COMMA = ByteString.fromArrayUnsafe(new byte[] {','}, 0, 1);

  private final ByteStringBuilder out = new ByteStringBuilder();
  private byte[] chunk = new byte[CHUNK];
  private int start; // where the bytes not yet appended begin
  private int end;
  private boolean empty = true;

  JsonPieces() {
    out.append(OPEN);
  }

  /** Before each element of the array. */
  void nextElement() {
    if (!empty) {
      append(COMMA);
    }
    empty = false;
  }

  /** Kept bytes, appended by reference (after what was written so far). */
  void append(ByteString kept) {
    flush();
    out.append(kept);
  }

  void write(byte b) {
    room(1);
    chunk[end++] = b;
  }

  void write(byte[] bytes) {
    room(bytes.length);
    System.arraycopy(bytes, 0, chunk, end, bytes.length);
    end += bytes.length;
  }

  /** A non-negative number in decimal. */
  void write(long value) {
    int digits = 1;
    for (long rest = value / 10; rest > 0; rest /= 10) {
      digits++;
    }
    room(digits);
    long rest = value;
    for (int i = end + digits - 1; i >= end; i--) {
      chunk[i] = (byte) ('0' + rest % 10);
      rest /= 10;
    }
    end += digits;
  }

  /** The whole array. */
  ByteString result() {
    flush();
    out.append(CLOSE);
    return out.result();
  }

  // What was written becomes a slice of the chunk; the chunk is never written over, so the slice stays valid.
  private void flush() {
    if (end > start) {
      out.append(ByteString.fromArrayUnsafe(chunk, start, end - start));
      start = end;
    }
  }

  private void room(int bytes) {
    if (end + bytes > chunk.length) {
      flush();
      chunk = new byte[Math.max(CHUNK, bytes)];
      start = 0;
      end = 0;
    }
  }
}
