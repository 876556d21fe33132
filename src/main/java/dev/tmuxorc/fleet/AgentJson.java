package dev.tmuxorc.fleet;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.AgentView;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * One agent's {@link AgentView} JSON, serialized once per change of the agent and kept as bytes: a listing of
 * 1,000 agents then copies bytes instead of building and serializing 1,000 views per request. Only
 * {@code timeInStateMs} moves with the clock; it is written afresh at each request between the two kept halves.
 */
final class AgentJson {

  // With a null map, Jackson writes this key once at the top level; a string value cannot contain it unescaped.
  private static final byte[] MARKER = "\"timeInStateMs\":null".getBytes(StandardCharsets.US_ASCII);
  private static final int KEY_LENGTH = "\"timeInStateMs\":".length();
  private static final AgentState[] STATES = AgentState.values();
  private static final byte[][] STATE_KEYS = new byte[STATES.length][];

  static {
    for (AgentState state : STATES) {
      STATE_KEYS[state.ordinal()] = ("\"" + state.wireName() + "\":").getBytes(StandardCharsets.US_ASCII);
    }
  }

  private final ByteString head; // up to and including "timeInStateMs":
  private final ByteString tail; // the rest of the object, from the comma after the map
  private final int state; // ordinal
  private final Instant since;
  private final long[] pastNanos; // by state ordinal; -1: never in that state

  private AgentJson(ByteString head, ByteString tail, int state, Instant since, long[] pastNanos) {
    this.head = head;
    this.tail = tail;
    this.state = state;
    this.since = since;
    this.pastNanos = pastNanos;
  }

  /** {@code past}: the time spent in the states the agent has left (the current one's runs on from its since). */
  static AgentJson of(AgentStatus status, Map<AgentState, Duration> past) {
    AgentView v = AgentView.of(status);
    AgentView withoutTime = new AgentView(v.paneId(), v.target(), v.session(), v.windowIndex(), v.windowName(),
        v.paneIndex(), v.role(), v.kind(), v.state(), v.previousState(), v.health(), v.since(), v.lastChange(),
        v.resetAt(), v.evidence(), v.command(), v.pid(), v.dead(), null, v.hooks());
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(withoutTime);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an agent's JSON: " + e.getOriginalMessage(), e);
    }
    int at = indexOf(bytes, MARKER);
    if (at < 0) {
      throw new IllegalStateException("no timeInStateMs in an agent's JSON: " + new String(bytes,
          StandardCharsets.UTF_8));
    }
    ByteString all = ByteString.fromArrayUnsafe(bytes);
    long[] pastNanos = new long[STATES.length];
    Arrays.fill(pastNanos, -1);
    past.forEach((s, time) -> pastNanos[s.ordinal()] = time.toNanos());
    return new AgentJson(all.slice(0, at + KEY_LENGTH), all.slice(at + MARKER.length, bytes.length),
        status.state().ordinal(), status.since(), pastNanos);
  }

  /** Appends the agent's JSON with its time in each state up to {@code now}, as {@link AgentView#of} has it. */
  // In nanoseconds summed, then cut to milliseconds, as Duration.plus and toMillis do.
  void writeTo(JsonPieces out, Instant now) {
    out.append(head);
    out.write((byte) '{');
    boolean first = true;
    for (int s = 0; s < STATES.length; s++) {
      long nanos = pastNanos[s];
      if (s == state) {
        long current = Math.max(0, (now.getEpochSecond() - since.getEpochSecond()) * 1_000_000_000L
            + now.getNano() - since.getNano());
        nanos = nanos < 0 ? current : nanos + current;
      }
      if (nanos >= 0) {
        if (!first) {
          out.write((byte) ',');
        }
        first = false;
        out.write(STATE_KEYS[s]);
        out.write(nanos / 1_000_000);
      }
    }
    out.write((byte) '}');
    out.append(tail);
  }

  private static int indexOf(byte[] bytes, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= bytes.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (bytes[i + j] != part[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
