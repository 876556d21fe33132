package dev.tmuxorc.config;

import com.typesafe.config.Config;
import java.time.Duration;

/** Reading one validated value by its full key; every complaint names that key (exit status 2). */
public final class ConfigValues {

  private ConfigValues() {
  }

  public static int atLeast(Config c, String key, int min) {
    int value = c.getInt(key);
    if (value < min) {
      throw invalid(key, "must be at least " + min + ", got " + value);
    }
    return value;
  }

  public static Duration positive(Config c, String key) {
    Duration d = c.getDuration(key);
    if (d.isNegative() || d.isZero()) {
      throw invalid(key, "must be a positive duration, got " + d);
    }
    return d;
  }

  /** A duration where 0 means "no limit". */
  public static Duration notNegative(Config c, String key) {
    Duration d = c.getDuration(key);
    if (d.isNegative()) {
      throw invalid(key, "must not be negative (0 = no limit), got " + d);
    }
    return d;
  }

  public static SettingsException invalid(String key, String problem) {
    return new SettingsException("invalid configuration: " + key + ": " + problem);
  }
}
