package dev.tmuxorc.actions;

import dev.tmuxorc.discovery.AgentPane;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which account an agent's rate limit belongs to ({@code tmux-orc.actions.rate-limit.accounts}): the first account
 * one of whose patterns matches its target ({@code session:window.pane}), its session or its window name; {@code *}
 * and {@code ?} are wildcards, everything else is literal.
 */
final class Accounts {

  private final Map<String, List<Pattern>> patterns = new LinkedHashMap<>();

  Accounts(Map<String, List<String>> accounts) {
    accounts.forEach((name, globs) -> patterns.put(name, globs.stream().map(Accounts::glob).toList()));
  }

  Optional<String> of(AgentPane agent) {
    List<String> names = List.of(agent.pane().target(), agent.pane().sessionName(), agent.pane().windowName());
    for (Map.Entry<String, List<Pattern>> account : patterns.entrySet()) {
      for (Pattern pattern : account.getValue()) {
        if (names.stream().anyMatch(name -> pattern.matcher(name).matches())) {
          return Optional.of(account.getKey());
        }
      }
    }
    return Optional.empty();
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("(?=[*?])|(?<=[*?])")) {
      regex.append(switch (part) {
        case "*" -> ".*";
        case "?" -> ".";
        default -> Pattern.quote(part);
      });
    }
    return Pattern.compile(regex.toString());
  }
}
