package dev.tmuxorc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.discovery.AgentKind;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Pane;
import dev.tmuxorc.discovery.PaneId;
import dev.tmuxorc.discovery.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AgentViewTest {

  @Test
  void timeInStateIsMillisecondsByStateName() {
    AgentPane agent = new AgentPane(new Pane(new PaneId("%3"), "$0", "proj", 1, "claude-1", 0, 42, "claude", false,
        OptionalInt.empty(), Instant.EPOCH, ""), Role.AGENT, AgentKind.CLAUDE);
    AgentStatus status = new AgentStatus(agent, AgentState.IDLE, AgentState.WORKING, Health.HEALTHY,
        Instant.EPOCH, Instant.EPOCH, List.of(), Optional.empty(),
        Map.of(AgentState.IDLE, Duration.ofMillis(200), AgentState.WORKING, Duration.ofMillis(1500)),
        Optional.empty());
    AgentView view = AgentView.of(status);
    assertEquals(Map.of("working", 1500L, "idle", 200L), view.timeInStateMs());
    assertEquals("proj:1.0", view.target());
    assertEquals("idle", view.state());
  }
}
