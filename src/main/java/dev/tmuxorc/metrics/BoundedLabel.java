package dev.tmuxorc.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The values one label may take, for labels whose values come from callers (routes, actor names): the first
 * {@code max} distinct values are kept, later ones are counted as {@code other}, so that a caller passing raw
 * paths or per-agent names cannot grow the number of series without bound.
 */
final class BoundedLabel {

  static final String OTHER = "other";

  private final int max;
  private final Set<String> admitted = ConcurrentHashMap.newKeySet();

  BoundedLabel(int max) {
    this.max = max;
  }

  /** The label value to use for {@code value}. */
  String admit(String value) {
    if (value == null || value.isBlank()) {
      return OTHER;
    }
    if (admitted.contains(value)) {
      return value;
    }
    synchronized (this) {
      if (admitted.contains(value) || admitted.size() < max) {
        admitted.add(value);
        return value;
      }
    }
    return OTHER;
  }
}
