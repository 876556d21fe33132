package dev.tmuxorc.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * The most recent journal entries in a fixed-size ring, in sequence order: reads after a recent sequence
 * number are answered from here without the disk. Not thread-safe (the Journal actor's state).
 */
final class RecentEntries {

  private final JournalEntry[] ring;
  private int start;
  private int size;

  RecentEntries(int capacity) {
    ring = new JournalEntry[capacity];
  }

  /** Adds the newest entry (its seq is above every other's), evicting the oldest when full. */
  void add(JournalEntry entry) {
    if (size == ring.length) {
      ring[start] = entry;
      start = (start + 1) % ring.length;
    } else {
      ring[(start + size) % ring.length] = entry;
      size++;
    }
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The oldest entry's sequence number; only when not empty. */
  long firstSeq() {
    return get(0).seq();
  }

  /** Whether every entry after {@code seq} that exists is here: nothing older than the ring is asked for. */
  boolean covers(long seq) {
    return size > 0 && firstSeq() <= seq + 1;
  }

  /** Up to {@code limit} entries with a sequence number above {@code seq}, oldest first. */
  List<JournalEntry> after(long seq, int limit) {
    int from = firstAbove(seq);
    int to = (int) Math.min(size, (long) from + Math.max(0, limit));
    List<JournalEntry> entries = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      entries.add(get(i));
    }
    return entries;
  }

  private int firstAbove(long seq) {
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (get(mid).seq() <= seq) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  private JournalEntry get(int index) {
    return ring[(start + index) % ring.length];
  }
}
