package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import java.util.Optional;

/** The markers of one agent kind, compiled once from its `kinds.<kind>` config block. */
record KindMarkers(
    List<PromptPattern> prompt,
    MarkerSet placeholder,
    MarkerSet frame,
    MarkerSet chrome,
    int promptTailLines,
    MarkerSet quoted,
    MarkerSet userTurn,
    MarkerSet entryStart,
    MarkerSet welcome,
    MarkerSet working,
    MarkerSet waiting,
    MarkerSet selectionFooter,
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
        MarkerSet.fromConfig(kind, "frame", where),
        MarkerSet.fromConfig(kind, "chrome", where),
        promptTailLines,
        MarkerSet.fromConfig(kind, "quoted", where),
        MarkerSet.fromConfig(kind, "user-turn", where),
        MarkerSet.fromConfig(kind, "entry-start", where),
        MarkerSet.fromConfig(kind, "welcome", where),
        MarkerSet.fromConfig(kind, "working", where),
        MarkerSet.fromConfig(kind, "waiting", where),
        MarkerSet.fromConfig(kind, "selection-footer", where),
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

  /** Whether this kind's live prompt sits in a frame (a box, between rules): an unframed prompt-like line is not it. */
  boolean framed() {
    return !frame.markers().isEmpty();
  }

  /** Frame lines and footer hints: the agent's UI around its prompt, never content. */
  boolean isChrome(String line) {
    return frame.foundIn(line) || chrome.foundIn(line);
  }

  /**
   * Whether the line belongs to the agent's own UI: frame, footer, spinner, dialog or banner, or a prompt line
   * where the kind's prompt is unframed (a framed kind's prompt-like line alone, e.g. starship's "❯", is not).
   */
  boolean isAgentUi(String line) {
    return (!framed() && promptPattern(line).isPresent())
        || isChrome(line)
        || working.foundIn(line)
        || waiting.foundIn(line)
        || welcome.foundIn(line);
  }

  /** Whether the line opens a transcript entry: an echoed user message or an agent answer. */
  boolean isTranscript(String line) {
    return userTurn.foundIn(line) || entryStart.foundIn(line);
  }
}
