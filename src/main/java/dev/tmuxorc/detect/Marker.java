package dev.tmuxorc.detect;

import com.typesafe.config.ConfigException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** One configured screen marker: a literal substring, or with the "re:" prefix a regex searched in a line. */
sealed interface Marker permits Marker.Literal, Marker.Regex {

  String REGEX_PREFIX = "re:";

  /** The marker exactly as configured, shown in evidence so a user can find it in the config. */
  String source();

  boolean foundIn(String line);

  static Marker parse(String source, String configPath) {
    if (!source.startsWith(REGEX_PREFIX)) {
      if (source.isEmpty()) {
        throw new ConfigException.BadValue(configPath, "an empty marker would match every line");
      }
      return new Literal(source);
    }
    try {
      return new Regex(source, Pattern.compile(source.substring(REGEX_PREFIX.length())));
    } catch (PatternSyntaxException e) {
      throw new ConfigException.BadValue(configPath, "bad regex " + source + ": " + e.getDescription());
    }
  }

  /** A case-sensitive substring. */
  record Literal(String source) implements Marker {
    @Override
    public boolean foundIn(String line) {
      return line.contains(source);
    }
  }

  /**
   * A precompiled regex, searched with find(). Each thread reuses one Matcher: a new Matcher per line and marker
   * was a third of everything the monitor allocated.
   */
  record Regex(String source, Pattern pattern, ThreadLocal<Matcher> matchers) implements Marker {
    Regex(String source, Pattern pattern) {
      this(source, pattern, ThreadLocal.withInitial(() -> pattern.matcher("")));
    }

    @Override
    public boolean foundIn(String line) {
      Matcher matcher = matchers.get().reset(line);
      boolean found = matcher.find();
      matcher.reset(""); // do not keep the line reachable
      return found;
    }
  }
}
