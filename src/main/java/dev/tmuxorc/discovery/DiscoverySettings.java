package dev.tmuxorc.discovery;

import java.util.List;
import java.util.Map;

/** Which panes are agents ({@code tmux-orc.discovery}). */
public record DiscoverySettings(String roleOption, Map<String, AgentKind> agentCommands, List<String> pmWords,
    List<String> agentWords) { }
