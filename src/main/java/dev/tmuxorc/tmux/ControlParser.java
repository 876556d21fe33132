package dev.tmuxorc.tmux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the bytes a {@code tmux -C} client prints into {@link ControlEvent}s.
 *
 * <p>Reply bodies are not escaped: captured pane text may contain lines such as {@code %end 1 2 1} or
 * {@code %exit}. Inside a block only the {@code %end}/{@code %error} line whose time, number and flags
 * equal those of its {@code %begin} closes it; every other line is body text.
 *
 * <p>Works on bytes because nearly everything a sweep reads is screen text inside reply blocks: a body line
 * that does not start with {@code %} is copied straight into the block's buffer, and the whole block is
 * decoded once when it closes. Only lines starting with {@code %} and lines between blocks are looked at on
 * their own. (Decoding every line to a String first cost more than tmux's own work for a sweep.) Invalid
 * UTF-8 becomes U+FFFD instead of breaking the stream. Not thread-safe: one parser per connection, fed by its
 * reader thread.
 */
public final class ControlParser {

  /** Blocks larger than this do not keep their buffer for the next one. */
  private static final int KEEP_BUFFER_BYTES = 1 << 20;

  private Bytes body = new Bytes(8192);
  private final Bytes line = new Bytes(256);
  private boolean inBlock;
  private byte[] endGuard;
  private byte[] errorGuard;
  private long time;
  private long number;
  private int flags;
  private boolean atLineStart = true;
  // The current line is block body not starting with '%': it goes straight into the body.
  private boolean direct;

  /** Feeds output as read, cut anywhere; each event it completes goes to {@code events}, in order. */
  public void feed(byte[] bytes, int offset, int length, Consumer<ControlEvent> events) {
    int end = offset + length;
    int i = offset;
    while (i < end) {
      if (atLineStart) {
        direct = inBlock && bytes[i] != '%';
        atLineStart = false;
      }
      int newline = indexOfNewline(bytes, i, end);
      int segmentEnd = newline < 0 ? end : newline;
      (direct ? body : line).write(bytes, i, segmentEnd - i);
      if (newline < 0) {
        return;
      }
      if (direct) {
        body.write('\n');
      } else {
        completeLine(events);
        line.reset();
      }
      atLineStart = true;
      i = newline + 1;
    }
  }

  /** Feeds one whole line (without its newline); returns the event it completes, if any. */
  public Optional<ControlEvent> accept(String text) {
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ControlEvent[] completed = new ControlEvent[1];
    feed(bytes, 0, bytes.length, event -> completed[0] = event);
    return Optional.ofNullable(completed[0]);
  }

  private void completeLine(Consumer<ControlEvent> events) {
    if (inBlock) {
      boolean ok = line.sameAs(endGuard);
      if (ok || line.sameAs(errorGuard)) {
        // The body ends with the newline of its last line, which is not part of the text.
        String text = body.size() == 0 ? "" : body.decode(body.size() - 1);
        events.accept(new ControlEvent.ReplyBlock(time, number, flags, ok, text));
        inBlock = false;
        if (body.size() > KEEP_BUFFER_BYTES) {
          body = new Bytes(8192);
        } else {
          body.reset();
        }
        return;
      }
      line.writeTo(body);
      body.write('\n');
      return;
    }
    String text = line.decode(line.size());
    if (text.startsWith("%begin ")) {
      beginBlock(text).ifPresent(events);
    } else if (text.startsWith("%")) {
      events.accept(notification(text));
    }
    // Outside a block tmux prints only % lines; anything else (e.g. a stray newline) carries no meaning.
  }

  private Optional<ControlEvent> beginBlock(String text) {
    String guard = text.substring("%begin ".length());
    String[] parts = guard.split(" ");
    if (parts.length != 3) {
      return Optional.of(new Notification.Other("begin", guard));
    }
    try {
      time = Long.parseLong(parts[0]);
      number = Long.parseLong(parts[1]);
      flags = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      return Optional.of(new Notification.Other("begin", guard));
    }
    endGuard = ("%end " + guard).getBytes(StandardCharsets.UTF_8);
    errorGuard = ("%error " + guard).getBytes(StandardCharsets.UTF_8);
    inBlock = true;
    return Optional.empty();
  }

  private static int indexOfNewline(byte[] bytes, int from, int end) {
    for (int i = from; i < end; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  static Notification notification(String line) {
    int space = line.indexOf(' ');
    String name = space < 0 ? line.substring(1) : line.substring(1, space);
    String rest = space < 0 ? "" : line.substring(space + 1);
    String[] words = rest.isEmpty() ? new String[0] : rest.split(" ", -1);
    return switch (name) {
      case "exit" -> new Notification.Exit(rest);
      case "sessions-changed" -> new Notification.SessionsChanged();
      case "session-changed" -> words.length >= 2
          ? new Notification.SessionChanged(words[0], rest.substring(words[0].length() + 1))
          : new Notification.Other(name, rest);
      case "window-close", "unlinked-window-close" -> words.length >= 1
          ? new Notification.WindowClose(words[0], name.startsWith("unlinked"))
          : new Notification.Other(name, rest);
      case "window-add", "unlinked-window-add" -> words.length >= 1
          ? new Notification.WindowAdd(words[0], name.startsWith("unlinked"))
          : new Notification.Other(name, rest);
      case "window-renamed", "unlinked-window-renamed" -> words.length >= 2
          ? new Notification.WindowRenamed(words[0], rest.substring(words[0].length() + 1),
              name.startsWith("unlinked"))
          : new Notification.Other(name, rest);
      case "subscription-changed" -> subscriptionChanged(rest);
      case "output" -> words.length >= 1
          ? new Notification.Output(words[0], unescape(rest.substring(Math.min(rest.length(), words[0].length() + 1))))
          : new Notification.Other(name, rest);
      case "pane-mode-changed" -> words.length >= 1
          ? new Notification.PaneModeChanged(words[0])
          : new Notification.Other(name, rest);
      case "layout-change" -> words.length >= 1
          ? new Notification.LayoutChange(words[0])
          : new Notification.Other(name, rest);
      default -> new Notification.Other(name, rest);
    };
  }

  // "%subscription-changed NAME $S @W INDEX %P ... : VALUE"; the value may itself contain " : ".
  private static Notification subscriptionChanged(String rest) {
    String[] head = rest.split(" ", 6);
    if (head.length < 6) {
      return new Notification.Other("subscription-changed", rest);
    }
    int colon = head[5].indexOf(": ");
    String value;
    if (colon >= 0) {
      value = head[5].substring(colon + 2);
    } else if (head[5].equals(":")) {
      value = "";
    } else {
      return new Notification.Other("subscription-changed", rest);
    }
    return new Notification.SubscriptionChanged(head[0], head[1], head[2], head[3], head[4], value);
  }

  /** Decodes {@code %output} data: bytes below space and backslash arrive as three-digit octal escapes. */
  static String unescape(String data) {
    if (data.indexOf('\\') < 0) {
      return data;
    }
    byte[] raw = data.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\\' && i + 3 < raw.length && isOctal(raw[i + 1]) && isOctal(raw[i + 2]) && isOctal(raw[i + 3])) {
        out.write(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0'));
        i += 3;
      } else {
        out.write(raw[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(byte b) {
    return b >= '0' && b <= '7';
  }

  /** A byte buffer that can be compared and decoded in place (no copy per line). */
  private static final class Bytes extends ByteArrayOutputStream {
    Bytes(int size) {
      super(size);
    }

    boolean sameAs(byte[] other) {
      return Arrays.equals(buf, 0, count, other, 0, other.length);
    }

    String decode(int length) {
      return new String(buf, 0, length, StandardCharsets.UTF_8);
    }

    void writeTo(Bytes target) {
      target.write(buf, 0, count);
    }
  }
}
