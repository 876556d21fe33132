package dev.tmuxorc.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decides which panes are agents and which is the PM: (a) the role option on the pane or window wins;
 * (b) else a known agent binary in the foreground makes an agent; (c) else role words in the window name,
 * matched as whole words. At most one PM per session: extra candidates are watched as agents.
 */
public final class AgentMatcher {

  private final Map<String, AgentKind> agentCommands;
  private final List<Pattern> pmWords;
  private final List<Pattern> agentWords;
  private final String ignoredSessionPrefix;
  private final Map<AgentKind, Pattern> kindNames = new EnumMap<>(AgentKind.class);

  public AgentMatcher(DiscoverySettings settings, String ignoredSessionPrefix) {
    this.agentCommands = settings.agentCommands();
    this.pmWords = settings.pmWords().stream().map(AgentMatcher::wholeWord).toList();
    this.agentWords = settings.agentWords().stream().map(AgentMatcher::wholeWord).toList();
    this.ignoredSessionPrefix = ignoredSessionPrefix;
    for (AgentKind kind : AgentKind.values()) {
      if (kind != AgentKind.UNKNOWN) {
        kindNames.put(kind, wholeWord(kind.wireName() + "*"));
      }
    }
  }

  /** Whole-word, case-insensitive; "*" stands for a run of letters, digits, '-' or '_'. */
  static Pattern wholeWord(String word) {
    StringBuilder regex = new StringBuilder("(?<![\\p{Alnum}])");
    for (String part : word.split("\\*", -1)) {
      regex.append(Pattern.quote(part)).append("[\\p{Alnum}_-]*");
    }
    regex.setLength(regex.length() - "[\\p{Alnum}_-]*".length());
    regex.append("(?![\\p{Alnum}])");
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** The watched panes among {@code panes}, in the order given. */
  public List<AgentPane> match(List<Pane> panes) {
    List<AgentPane> candidates = new ArrayList<>();
    for (Pane pane : panes) {
      if (pane.sessionName().startsWith(ignoredSessionPrefix)) {
        continue;
      }
      roleOf(pane).ifPresent(role -> candidates.add(new AgentPane(pane, role, kindOf(pane))));
    }
    return onePmPerSession(candidates);
  }

  Optional<Role> roleOf(Pane pane) {
    String option = pane.roleOption().trim().toLowerCase(Locale.ROOT);
    switch (option) {
      case "pm" -> {
        return Optional.of(Role.PM);
      }
      case "agent" -> {
        return Optional.of(Role.AGENT);
      }
      case "ignore" -> {
        return Optional.empty();
      }
      default -> {
        // not set, or a value we do not know: fall through to the other rules
      }
    }
    if (agentCommands.containsKey(pane.currentCommand())) {
      return Optional.of(isPmName(pane.windowName()) ? Role.PM : Role.AGENT);
    }
    if (isPmName(pane.windowName())) {
      return Optional.of(Role.PM);
    }
    if (agentWords.stream().anyMatch(p -> p.matcher(pane.windowName()).find())) {
      return Optional.of(Role.AGENT);
    }
    return Optional.empty();
  }

  private boolean isPmName(String windowName) {
    return pmWords.stream().anyMatch(p -> p.matcher(windowName).find());
  }

  AgentKind kindOf(Pane pane) {
    AgentKind byCommand = agentCommands.get(pane.currentCommand());
    if (byCommand != null) {
      return byCommand;
    }
    for (Map.Entry<AgentKind, Pattern> kind : kindNames.entrySet()) {
      if (kind.getValue().matcher(pane.windowName()).find()) {
        return kind.getKey();
      }
    }
    return AgentKind.UNKNOWN;
  }

  // Explicit "pm" options first, then the lowest window and pane index, keep the PM role.
  private static List<AgentPane> onePmPerSession(List<AgentPane> candidates) {
    Comparator<AgentPane> preference = Comparator
        .comparing((AgentPane a) -> !a.pane().roleOption().trim().equalsIgnoreCase("pm"))
        .thenComparingInt(a -> a.pane().windowIndex())
        .thenComparingInt(a -> a.pane().paneIndex());
    Set<PaneId> chosen = new HashSet<>();
    Set<String> sessionsWithPm = new HashSet<>();
    candidates.stream().filter(a -> a.role() == Role.PM).sorted(preference).forEach(a -> {
      if (sessionsWithPm.add(a.pane().sessionId())) {
        chosen.add(a.paneId());
      }
    });
    List<AgentPane> result = new ArrayList<>(candidates.size());
    for (AgentPane a : candidates) {
      boolean demoted = a.role() == Role.PM && !chosen.contains(a.paneId());
      result.add(demoted ? new AgentPane(a.pane(), Role.AGENT, a.kind()) : a);
    }
    return result;
  }
}
