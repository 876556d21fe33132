package dev.tmuxorc.tmux;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the lines a {@code tmux -C} client prints into {@link ControlEvent}s.
 *
 * <p>Reply bodies are not escaped: captured pane text may contain lines such as {@code %end 1 2 1} or
 * {@code %exit}. Inside a block only the {@code %end}/{@code %error} line whose time, number and flags
 * equal those of its {@code %begin} closes it; every other line is body text. Not thread-safe: one parser
 * per connection, fed by its reader thread.
 */
public final class ControlParser {

  private String endLine;
  private String errorLine;
  private long time;
  private long number;
  private int flags;
  private List<String> body;

  /** Feeds one line (without its newline); returns the event it completes, if any. */
  public Optional<ControlEvent> accept(String line) {
    if (body != null) {
      if (line.equals(endLine) || line.equals(errorLine)) {
        ControlEvent.ReplyBlock block =
            new ControlEvent.ReplyBlock(time, number, flags, line.equals(endLine), body);
        body = null;
        return Optional.of(block);
      }
      body.add(line);
      return Optional.empty();
    }
    if (line.startsWith("%begin ")) {
      return beginBlock(line);
    }
    if (line.startsWith("%")) {
      return Optional.of(notification(line));
    }
    // Outside a block tmux prints only % lines; anything else (e.g. a stray newline) carries no meaning.
    return Optional.empty();
  }

  private Optional<ControlEvent> beginBlock(String line) {
    String guard = line.substring("%begin ".length());
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
    endLine = "%end " + guard;
    errorLine = "%error " + guard;
    body = new ArrayList<>();
    return Optional.empty();
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
}
