package dev.tmuxorc.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tmuxorc.testing.TestSettings;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AgentMatcherTest {

  private final AgentMatcher matcher =
      new AgentMatcher(TestSettings.settings("unused").discovery(), "_tmux-orc");

  private static Pane pane(String session, int window, String name, String command, String option) {
    return new Pane(new PaneId("%" + window), "$" + session.hashCode(), session, window, name, 0, 100 + window,
        command, false, OptionalInt.empty(), Instant.EPOCH, option);
  }

  private Optional<Role> role(String windowName, String command) {
    return matcher.roleOf(pane("s", 1, windowName, command, ""));
  }

  @Test
  void pmWordsMatchOnlyAsWholeWords() {
    assertEquals(Optional.of(Role.PM), role("pm", "bash"));
    assertEquals(Optional.of(Role.PM), role("PM", "bash"));
    assertEquals(Optional.of(Role.PM), role("project-manager", "bash"));
    assertEquals(Optional.of(Role.PM), role("manager", "bash"));
    assertEquals(Optional.of(Role.PM), role("team pm", "bash"));
    assertEquals(Optional.empty(), role("npm-dev", "bash"));
    assertEquals(Optional.empty(), role("pm2-logs", "bash"));
    assertEquals(Optional.empty(), role("pmtools", "bash"));
    assertEquals(Optional.empty(), role("mgmt", "bash"));
  }

  @Test
  void agentWordsAndGlobsMatchWholeWords() {
    assertEquals(Optional.of(Role.AGENT), role("claude-3", "bash"));
    assertEquals(Optional.of(Role.AGENT), role("claude-backend_2", "bash"));
    assertEquals(Optional.of(Role.AGENT), role("developer", "bash"));
    assertEquals(Optional.of(Role.AGENT), role("qa", "bash"));
    assertEquals(Optional.of(Role.AGENT), role("Frontend", "bash"));
    assertEquals(Optional.empty(), role("developers-notes", "bash"));
    assertEquals(Optional.empty(), role("qat", "bash"));
    assertEquals(Optional.empty(), role("logs", "bash"));
    assertEquals(Optional.empty(), role("claude", "bash"), "'claude-*' needs the dash");
  }

  @Test
  void aKnownAgentBinaryIsAnAgentWhateverTheWindowName() {
    assertEquals(Optional.of(Role.AGENT), role("logs", "claude"));
    assertEquals(Optional.of(Role.AGENT), role("zsh", "codex"));
    assertEquals(Optional.of(Role.PM), role("pm", "claude"), "an agent binary in a PM window is the PM");
  }

  @Test
  void theRoleOptionWinsOverEverything() {
    assertEquals(Optional.of(Role.AGENT), matcher.roleOf(pane("s", 1, "logs", "bash", "agent")));
    assertEquals(Optional.of(Role.PM), matcher.roleOf(pane("s", 1, "logs", "bash", "pm")));
    assertEquals(Optional.empty(), matcher.roleOf(pane("s", 1, "claude-1", "claude", "ignore")));
    assertEquals(Optional.of(Role.AGENT), matcher.roleOf(pane("s", 1, "claude-1", "bash", "bogus")),
        "an unknown option value falls back to the other rules");
  }

  @Test
  void kindComesFromTheCommandThenTheWindowName() {
    assertEquals(AgentKind.CLAUDE, matcher.kindOf(pane("s", 1, "whatever", "claude", "")));
    assertEquals(AgentKind.AIDER, matcher.kindOf(pane("s", 1, "aider-2", "python3", "")));
    assertEquals(AgentKind.GEMINI, matcher.kindOf(pane("s", 1, "gemini", "node", "")));
    assertEquals(AgentKind.UNKNOWN, matcher.kindOf(pane("s", 1, "developer", "bash", "")));
  }

  @Test
  void atMostOnePmPerSessionTheExplicitOneFirst() {
    List<AgentPane> agents = matcher.match(List.of(
        pane("a", 1, "pm", "bash", ""),
        pane("a", 2, "manager", "bash", ""),
        pane("a", 3, "notes", "bash", "pm"),
        pane("b", 4, "manager", "bash", ""),
        pane("b", 5, "pm", "bash", "")));
    assertEquals(List.of(Role.AGENT, Role.AGENT, Role.PM, Role.PM, Role.AGENT),
        agents.stream().map(AgentPane::role).toList());
  }

  @Test
  void hiddenSessionsAreNeverAgents() {
    assertTrue(matcher.match(List.of(pane("_tmux-orc-123", 1, "claude-1", "claude", "agent"))).isEmpty());
  }
}
