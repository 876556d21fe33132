package dev.tmuxorc.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tmuxorc.json.Json;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How an agent's hook reaches the monitor, as a Claude Code hook handler: its own HTTP POST ({@code http}), a
 * {@code curl} one-liner, or {@code tmux-orc hook claude} (a JVM start per event: for systems without curl).
 */
public enum HookForm {
  HTTP, CURL, COMMAND;

  /** The route every form posts to; also how our handlers are told from anyone else's. */
  public static final String ROUTE = "/api/hooks/";

  /** Environment variables the agent's hook reads: the pane, and the token when one is configured. */
  public static final String PANE_VAR = "TMUX_PANE";
  public static final String TOKEN_VAR = "TMUX_ORC_HTTP_TOKEN";

  // "tmux-orc hook claude", "/opt/tmux-orc/bin/tmux-orc -c x hook codex", "java -jar /x/tmux-orc.jar hook claude"
  private static final Pattern HOOK_COMMAND =
      Pattern.compile("tmux-orc.*\\shook\\s+(claude|codex|gemini)(\\s|$)");
  private static final Pattern CURL_URL = Pattern.compile("'?(https?://\\S+?" + ROUTE + "[a-z]+)'?");

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static HookForm of(String wireName) {
    return valueOf(wireName.toUpperCase(java.util.Locale.ROOT));
  }

  /**
   * The handler of this form for agents of {@code kind}. {@code baseUrl} is the monitor's API ({@code http} and
   * {@code curl}); {@code command} is how to run tmux-orc ({@code command}); with {@code token} the handler sends
   * {@code Authorization: Bearer $TMUX_ORC_HTTP_TOKEN}, read from the agent's environment, never written here.
   */
  public ObjectNode handler(String kind, String baseUrl, String command, boolean token) {
    ObjectNode handler = Json.MAPPER.createObjectNode();
    String url = baseUrl == null ? null : baseUrl.replaceAll("/+$", "") + ROUTE + kind;
    switch (this) {
      case HTTP -> {
        // Field names as in Claude Code's hooks reference (type http: url, timeout in seconds, headers whose
        // $VAR references are filled only from allowedEnvVars). A 2xx with an empty body is a plain success;
        // a body would be read as hook output. Not confirmed: the version that brought http hooks, and whether
        // every one of our events takes one (--form curl where not).
        handler.put("type", "http");
        handler.put("url", url);
        handler.put("timeout", 1);
        ObjectNode headers = handler.putObject("headers");
        headers.put("X-Tmux-Pane", "$" + PANE_VAR);
        if (token) {
          headers.put("Authorization", "Bearer $" + TOKEN_VAR);
        }
        var allowed = handler.putArray("allowedEnvVars").add(PANE_VAR);
        if (token) {
          allowed.add(TOKEN_VAR);
        }
      }
      case CURL -> {
        // -s -o /dev/null and || true: nothing printed, status 0 whatever happens; $PPID is the agent's pid,
        // for the monitor to find the pane by when $TMUX_PANE is empty.
        handler.put("type", "command");
        handler.put("command", "curl -s -m 0.5 -o /dev/null -X POST -H 'Content-Type: application/json'"
            + " -H \"X-Tmux-Pane: $" + PANE_VAR + "\" -H \"X-Hook-Pids: $PPID\""
            + (token ? " -H \"Authorization: Bearer $" + TOKEN_VAR + "\"" : "")
            + " --data-binary @- '" + url + "' || true");
        handler.put("timeout", 1);
      }
      case COMMAND -> {
        handler.put("type", "command");
        handler.put("command", command + " hook " + kind);
        // a JVM start: give it time, it gives up on the monitor after 500 ms by itself
        handler.put("timeout", 5);
      }
    }
    return handler;
  }

  /** The form of {@code handler} if it is one of ours (one tmux-orc wrote), else empty. */
  public static Optional<HookForm> ofOurs(JsonNode handler) {
    String type = handler.path("type").asText("");
    if (type.equals("http") && handler.path("url").asText("").contains(ROUTE)) {
      return Optional.of(HTTP);
    }
    if (type.equals("command")) {
      String command = handler.path("command").asText("");
      if (command.contains(ROUTE)) {
        return Optional.of(CURL);
      }
      if (HOOK_COMMAND.matcher(command).find()) {
        return Optional.of(COMMAND);
      }
    }
    return Optional.empty();
  }

  /** Where one of our handlers sends events: its URL, or the command it runs. */
  public static String target(JsonNode handler) {
    if (handler.has("url")) {
      return handler.path("url").asText();
    }
    String command = handler.path("command").asText("");
    Matcher url = CURL_URL.matcher(command);
    return url.find() ? url.group(1) : command;
  }
}
