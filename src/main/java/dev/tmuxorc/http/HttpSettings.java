package dev.tmuxorc.http;

import static dev.tmuxorc.config.ConfigValues.atLeast;
import static dev.tmuxorc.config.ConfigValues.invalid;
import static dev.tmuxorc.config.ConfigValues.positive;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.tmuxorc.config.SettingsException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The HTTP API's settings, read from {@code tmux-orc.http} and validated. */
public record HttpSettings(boolean enabled, String host, int port, Optional<String> token, long maxBody,
    Duration backendTimeout, Sse sse, Duration screenWatchInterval) {

  /**
   * The {@code /api/events} stream: keep-alive interval, per-client buffer, most entries replayed on resume. The
   * keep-alive serves {@code /api/agents/{paneId}/screen/stream} too, which looks at its agent's screen every
   * {@code screenWatchInterval}.
   */
  public record Sse(Duration keepAlive, int buffer, int resumeLimit) { }

  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

  /** Refuses an enabled API on a non-loopback address without a token, however the settings were made. */
  public HttpSettings {
    if (enabled && token.isEmpty() && !isLoopback(host)) {
      throw invalid("tmux-orc.http.host", "'" + host + "' is not a loopback address, and serving the API beyond"
          + " this machine without authentication is refused: set tmux-orc.http.token (or TMUX_ORC_HTTP_TOKEN),"
          + " or listen on 127.0.0.1");
    }
  }

  /**
   * Reads and validates {@code tmux-orc.http} of a resolved config.
   *
   * @throws SettingsException naming the offending key; also when a non-loopback host has no token
   */
  public static HttpSettings from(Config root) {
    try {
      return read(root);
    } catch (ConfigException e) {
      throw new SettingsException("invalid configuration: " + e.getMessage(), e);
    }
  }

  private static HttpSettings read(Config c) {
    boolean enabled = c.getBoolean("tmux-orc.http.enabled");
    String host = c.getString("tmux-orc.http.host").trim();
    if (host.isEmpty()) {
      throw invalid("tmux-orc.http.host", "must not be empty");
    }
    int port = c.getInt("tmux-orc.http.port");
    if (port < 0 || port > 65535) {
      throw invalid("tmux-orc.http.port", "must be between 0 and 65535, got " + port);
    }
    String token = c.getString("tmux-orc.http.token").trim();
    long maxBody = c.getBytes("tmux-orc.http.max-body");
    if (maxBody < 1) {
      throw invalid("tmux-orc.http.max-body", "must be at least 1 byte, got " + maxBody);
    }
    Duration keepAlive = positive(c, "tmux-orc.http.sse.keep-alive");
    // A keep-alive at or above the idle timeout would let the server close quiet streams itself.
    if (c.hasPath("pekko.http.server.idle-timeout")
        && !c.getString("pekko.http.server.idle-timeout").equals("infinite")
        && keepAlive.compareTo(c.getDuration("pekko.http.server.idle-timeout")) >= 0) {
      throw invalid("tmux-orc.http.sse.keep-alive", "must be below pekko.http.server.idle-timeout ("
          + c.getDuration("pekko.http.server.idle-timeout") + "), got " + keepAlive);
    }
    Sse sse = new Sse(keepAlive, atLeast(c, "tmux-orc.http.sse.buffer", 1),
        atLeast(c, "tmux-orc.http.sse.resume-limit", 1));
    return new HttpSettings(enabled, host, port, token.isEmpty() ? Optional.empty() : Optional.of(token), maxBody,
        positive(c, "tmux-orc.http.backend-timeout"), sse, positive(c, "tmux-orc.http.screen-watch-interval"));
  }

  /**
   * Whether {@code host} names this machine only: localhost, 127.0.0.0/8 or ::1. Decided from the text alone (no
   * name lookup): any other name, and the wildcard addresses, count as reachable from outside.
   */
  public static boolean isLoopback(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost")) {
      return true;
    }
    if (!IPV4.matcher(h).matches() && !h.contains(":")) {
      return false;
    }
    try {
      // A literal address: getByName parses it without any lookup.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
