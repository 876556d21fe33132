package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Reads the reset time of a usage limit from a screen line: "resets 3pm (UTC)", "try again in 2 hours". */
record ResetClock(List<Pattern> wallClock, List<Pattern> delay) {

  // Units are English like the agents' messages; only the phrases around them are configurable.
  private static final Pattern DURATION_PART =
      Pattern.compile(
          "(\\d{1,4})\\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\\b",
          Pattern.CASE_INSENSITIVE);

  static ResetClock fromConfig(Config detection, String where) {
    return new ResetClock(
        patterns(detection, "reset-time", where, "hour"), patterns(detection, "reset-after", where, "duration"));
  }

  /** The reset instant the line names, relative to now; wall-clock times are the next occurrence at or after now. */
  Optional<Instant> resetAt(String line, ZonedDateTime now) {
    for (Pattern pattern : wallClock) {
      Matcher matcher = pattern.matcher(line);
      while (matcher.find()) {
        Optional<Instant> at = wallClockInstant(matcher, now);
        if (at.isPresent()) {
          return at;
        }
      }
    }
    for (Pattern pattern : delay) {
      Matcher matcher = pattern.matcher(line);
      while (matcher.find()) {
        Duration duration = duration(matcher.group("duration"));
        if (!duration.isZero()) {
          return Optional.of(now.toInstant().plus(duration));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Instant> wallClockInstant(Matcher matcher, ZonedDateTime now) {
    int hour = Integer.parseInt(matcher.group("hour"));
    String minuteText = group(matcher, "minute");
    String ampm = group(matcher, "ampm");
    if (minuteText == null && ampm == null) {
      return Optional.empty(); // a bare number ("resets 3") is too ambiguous
    }
    int minute = minuteText == null ? 0 : Integer.parseInt(minuteText);
    if (ampm != null) {
      if (hour < 1 || hour > 12) {
        return Optional.empty();
      }
      boolean pm = Character.toLowerCase(ampm.charAt(0)) == 'p';
      hour = hour % 12 + (pm ? 12 : 0);
    }
    if (hour > 23 || minute > 59) {
      return Optional.empty();
    }
    ZoneId zone = zone(group(matcher, "zone"), now.getZone());
    LocalTime time = LocalTime.of(hour, minute);
    ZonedDateTime local = now.withZoneSameInstant(zone);
    ZonedDateTime candidate = ZonedDateTime.of(local.toLocalDate(), time, zone);
    if (candidate.isBefore(local)) {
      candidate = ZonedDateTime.of(local.toLocalDate().plusDays(1), time, zone);
    }
    return Optional.of(candidate.toInstant());
  }

  private static ZoneId zone(String name, ZoneId fallback) {
    if (name == null) {
      return fallback;
    }
    try {
      return ZoneId.of(name, ZoneId.SHORT_IDS);
    } catch (DateTimeException e) {
      return fallback;
    }
  }

  private static Duration duration(String text) {
    Duration total = Duration.ZERO;
    Matcher part = DURATION_PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      String unit = part.group(2).toLowerCase(Locale.ROOT);
      total =
          total.plus(
              switch (unit.charAt(0)) {
                case 'd' -> Duration.ofDays(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'm' -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
              });
    }
    return total;
  }

  // A named group the pattern does not define counts as absent, so users may drop optional groups.
  private static String group(Matcher matcher, String name) {
    try {
      return matcher.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<Pattern> patterns(Config detection, String key, String where, String requiredGroup) {
    String path = where + "." + key;
    return detection.getStringList(key).stream()
        .map(
            source -> {
              if (!source.contains("(?<" + requiredGroup + ">")) {
                throw new ConfigException.BadValue(path, "needs a named group (?<" + requiredGroup + ">...): " + source);
              }
              try {
                return Pattern.compile(source);
              } catch (PatternSyntaxException e) {
                throw new ConfigException.BadValue(path, "bad regex " + source + ": " + e.getDescription());
              }
            })
        .toList();
  }
}
