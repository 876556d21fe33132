package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** The shipped detection config and a classifier built from it, shared by the tests. */
final class DefaultDetection {

  /** A fixed reference time: Tuesday 10 June 2025, 09:30 in New York (13:30 UTC, 15:30 in Paris). */
  static final ZonedDateTime NOW = ZonedDateTime.of(2025, 6, 10, 9, 30, 0, 0, ZoneId.of("America/New_York"));

  static final Classifier CLASSIFIER = Classifier.fromConfig(config());

  private DefaultDetection() {}

  static Config config() {
    return ConfigFactory.parseResources("tmux-orc-detection.conf").resolve().getConfig("tmux-orc.detection");
  }
}
