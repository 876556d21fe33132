package dev.tmuxorc.journal;

import java.time.Instant;

/**
 * One journalled event: its sequence number (monotonically increasing, the SSE event id), when it happened, its
 * type ("StateChanged", "CycleReport", ...), the pane it concerns (null for fleet-wide entries) and its JSON.
 * The journal publishes each entry on the actor system's event stream once it has its number.
 */
public record JournalEntry(long seq, Instant at, String type, String paneId, String json) { }
