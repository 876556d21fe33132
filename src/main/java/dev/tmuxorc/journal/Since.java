package dev.tmuxorc.journal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * "Since when" as {@code tmux-orc events --since} and {@code GET /api/journal?since=} take it: a duration back
 * from now (units s, m, h, d, w, combinable: {@code 90s}, {@code 1h30m}) or a point in time (an ISO instant,
 * or a local date-time or date in {@code zone}).
 */
public final class Since {

  private static final Pattern DURATION = Pattern.compile("(\\d+[smhdw])+");
  private static final Pattern PART = Pattern.compile("(\\d+)([smhdw])");

  private Since() {
  }

  /**
   * The instant {@code value} names.
   *
   * @throws IllegalArgumentException saying which forms it takes, when it is none of them
   */
  public static Instant parse(String value, Instant now, ZoneId zone) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    if (DURATION.matcher(text).matches()) {
      try {
        return now.minus(duration(text));
      } catch (ArithmeticException | java.time.DateTimeException | NumberFormatException tooFar) {
        // 100000000000000d: further back than time goes
        throw new IllegalArgumentException("'" + value + "' is further back than a date can be");
      }
    }
    return instant(value, zone);
  }

  private static Duration duration(String text) {
    Duration back = Duration.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long n = Long.parseLong(part.group(1));
      back = back.plus(switch (part.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      });
    }
    return back;
  }

  private static Instant instant(String value, ZoneId zone) {
    String iso = value.strip().replace(' ', 'T');
    try {
      return Instant.parse(iso);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return LocalDateTime.parse(iso).atZone(zone).toInstant();
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notADate) {
          throw new IllegalArgumentException("'" + value + "' is neither a duration (30s, 10m, 2h, 1d) nor a time "
              + "(2026-11-30T08:00:00Z, 2026-11-30T09:00, 2026-11-30)");
        }
      }
    }
  }
}
