package dev.tmuxorc.detect;

import java.time.ZonedDateTime;

/** Turns one captured screen into an {@link Observation}; {@link Classifier} is the implementation. */
@FunctionalInterface
public interface ScreenClassifier {

  Observation classify(String screen, PaneFacts facts, ZonedDateTime now);
}
