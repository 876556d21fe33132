package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import java.time.ZonedDateTime;

/** Placeholder until the marker-based classifier lands: dead panes are crashed, the rest unknown. */
public final class Classifier implements ScreenClassifier {

  public static Classifier fromConfig(Config detection) {
    return new Classifier();
  }

  @Override
  public Observation classify(String screen, PaneFacts facts, ZonedDateTime now) {
    return Observation.of(facts.dead() ? AgentState.CRASHED : AgentState.UNKNOWN);
  }
}
