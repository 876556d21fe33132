package dev.tmuxorc.agent;

import dev.tmuxorc.discovery.AgentPane;
import java.time.Instant;

/** The outcome of capturing one agent's visible screen. */
public sealed interface Capture {

  AgentPane agent();

  Instant at();

  /** The visible screen as tmux rendered it. */
  record Screen(AgentPane agent, String text, Instant at) implements Capture { }

  /** The capture could not be made (pane gone, tmux unreachable, timeout). */
  record Failed(AgentPane agent, String reason, Instant at) implements Capture { }
}
