package dev.tmuxorc.monitor;

import dev.tmuxorc.agent.AgentStatus;
import dev.tmuxorc.agent.Capture;
import dev.tmuxorc.agent.Health;
import dev.tmuxorc.detect.AgentState;
import dev.tmuxorc.detect.Observation;
import dev.tmuxorc.detect.PaneFacts;
import dev.tmuxorc.detect.ScreenClassifier;
import dev.tmuxorc.discovery.AgentPane;
import dev.tmuxorc.discovery.Discovery;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One snapshot of the fleet ({@code scan}, {@code status} without a daemon): one discovery, one capture of each
 * agent, each screen classified on its own (a snapshot has no history to debounce with). A plain function over
 * one sweep: a one-shot needs no actor of its own.
 */
public final class Scan {

  /** Agents in target order: session name, window index, pane index. */
  public static final Comparator<AgentStatus> BY_TARGET = Comparator
      .comparing((AgentStatus s) -> s.agent().pane().sessionName())
      .thenComparingInt(s -> s.agent().pane().windowIndex())
      .thenComparingInt(s -> s.agent().pane().paneIndex());

  private Scan() {
  }

  public static CompletionStage<List<AgentStatus>> run(Sweep sweep, Discovery discovery, ScreenClassifier classifier,
      Clock clock) {
    return sweep.runLedBy(discovery.command(), List.of(), capture -> { }).lead()
        .thenCompose(reply -> sweep.collect(discovery.interpret(reply).agents()))
        .thenApply(captures -> classify(captures, classifier, clock));
  }

  static List<AgentStatus> classify(List<Capture> captures, ScreenClassifier classifier, Clock clock) {
    List<AgentStatus> statuses = new ArrayList<>(captures.size());
    ZonedDateTime now = ZonedDateTime.now(clock);
    for (Capture capture : captures) {
      AgentPane agent = capture.agent();
      Observation observation;
      Health health = Health.HEALTHY;
      if (capture instanceof Capture.Screen || agent.pane().dead()) {
        // The classifier reports a dead pane as crashed without reading the screen.
        String text = capture instanceof Capture.Screen screen ? screen.text() : "";
        observation = classifier.classify(text, PaneFacts.of(agent), now);
      } else {
        observation = Observation.of(AgentState.UNKNOWN);
        health = Health.UNRESPONSIVE;
      }
      statuses.add(new AgentStatus(agent, observation.state(), AgentState.UNKNOWN, health, capture.at(),
          agent.pane().windowActivity(), observation.evidence(), observation.resetAt(), Map.of(), Optional.empty()));
    }
    statuses.sort(BY_TARGET);
    return statuses;
  }
}
