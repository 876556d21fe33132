package dev.tmuxorc.detect;

import com.typesafe.config.ConfigException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A configured regex that recognises the agent's input prompt line and extracts the typed text. */
record PromptPattern(String source, Pattern pattern, Marker.Regex marker) {

  private static final String TEXT_GROUP = "text";

  PromptPattern(String source, Pattern pattern) {
    this(source, pattern, new Marker.Regex(source, pattern)); // its reused matchers for the per-line test
  }

  static PromptPattern parse(String source, String configPath) {
    if (!source.startsWith(Marker.REGEX_PREFIX) || !source.contains("(?<" + TEXT_GROUP + ">")) {
      throw new ConfigException.BadValue(
          configPath, "a prompt must be a \"re:\" regex with a named group (?<text>...): " + source);
    }
    try {
      return new PromptPattern(source, Pattern.compile(source.substring(Marker.REGEX_PREFIX.length())));
    } catch (PatternSyntaxException e) {
      throw new ConfigException.BadValue(configPath, "bad regex " + source + ": " + e.getDescription());
    }
  }

  boolean matches(String line) {
    return marker.foundIn(line);
  }

  /** The typed text when the line is a prompt line: trimmed, a closing box border dropped; empty when none. */
  Optional<String> typedText(String line) {
    Matcher matcher = pattern.matcher(line);
    if (!matcher.find()) {
      return Optional.empty();
    }
    String text = matcher.group(TEXT_GROUP);
    if (text == null) {
      return Optional.of("");
    }
    text = text.strip();
    if (text.endsWith("│")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    return Optional.of(text);
  }
}
