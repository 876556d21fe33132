package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import java.util.Optional;

/** The markers of one agent kind, compiled once from its `kinds.<kind>` config block. */
record KindMarkers(
    List<PromptPattern> prompt,
    MarkerSet placeholder,
    MarkerSet chrome,
    int promptTailLines,
    MarkerSet quoted,
    MarkerSet userTurn,
    MarkerSet entryStart,
    MarkerSet welcome,
    MarkerSet working,
    MarkerSet waiting,
    MarkerSet rateLimited,
    MarkerSet error) {

  /** Compiles a kind block; where names it in error messages ("tmux-orc.detection.kinds.claude"). */
  static KindMarkers fromConfig(Config kind, String where) {
    int promptTailLines = kind.getInt("prompt-tail-lines");
    if (promptTailLines < 0) {
      throw new ConfigException.BadValue(where + ".prompt-tail-lines", "must not be negative");
    }
    return new KindMarkers(
        kind.getStringList("prompt").stream()
            .map(source -> PromptPattern.parse(source, where + ".prompt"))
            .toList(),
        MarkerSet.fromConfig(kind, "placeholder", where),
        MarkerSet.fromConfig(kind, "chrome", where),
        promptTailLines,
        MarkerSet.fromConfig(kind, "quoted", where),
        MarkerSet.fromConfig(kind, "user-turn", where),
        MarkerSet.fromConfig(kind, "entry-start", where),
        MarkerSet.fromConfig(kind, "welcome", where),
        MarkerSet.fromConfig(kind, "working", where),
        MarkerSet.fromConfig(kind, "waiting", where),
        MarkerSet.fromConfig(kind, "rate-limited", where),
        MarkerSet.fromConfig(kind, "error", where));
  }

  /** The prompt pattern recognising the line as an input prompt line, if any. */
  Optional<PromptPattern> promptPattern(String line) {
    for (PromptPattern pattern : prompt) {
      if (pattern.matches(line)) {
        return Optional.of(pattern);
      }
    }
    return Optional.empty();
  }

  /** Whether the line belongs to the agent's own UI: prompt, frame, footer, spinner, dialog or banner. */
  boolean isAgentUi(String line) {
    return promptPattern(line).isPresent()
        || chrome.foundIn(line)
        || working.foundIn(line)
        || waiting.foundIn(line)
        || welcome.foundIn(line);
  }

  /** Whether the line opens a transcript entry: an echoed user message or an agent answer. */
  boolean isTranscript(String line) {
    return userTurn.foundIn(line) || entryStart.foundIn(line);
  }
}
