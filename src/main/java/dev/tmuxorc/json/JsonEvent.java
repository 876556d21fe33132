package dev.tmuxorc.json;

import java.time.Instant;
import java.util.Map;

/**
 * An event published on the event stream by a package above this one, which writes its own JSON shape (this
 * package may not import those): {@link Json#of} and {@link Json#type} take it like agent events and cycle
 * reports, and so the journal, {@code /api/journal} and {@code /api/events} do.
 */
public interface JsonEvent {

  /** When it happened. */
  Instant at();

  /** Its JSON shape: {@code type}, {@code at}, {@code atMillis}, then its own fields. */
  Map<String, Object> json();
}
