package dev.tmuxorc.agent;

import dev.tmuxorc.discovery.AgentPane;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** How an agent captures its own pane again to confirm a pending verdict: through the monitor's one capture path. */
@FunctionalInterface
public interface ConfirmCapture {

  CompletionStage<List<Capture>> capture(AgentPane agent);
}
