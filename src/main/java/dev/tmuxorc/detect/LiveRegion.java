package dev.tmuxorc.detect;

import java.util.Optional;

/**
 * The bottom part of a screen that shows the agent's current state, and the live input prompt in it.
 *
 * @param start first line of the region (0-based): below the last echoed user message, at the last agent entry,
 *     and within the bottom live-region-lines
 * @param prompt line of the live input prompt, or -1 when none is on screen
 * @param inputEnd first line after the prompt's typed text (typed text never counts as a marker)
 * @param typed what is typed in the prompt, empty when nothing or only the placeholder
 * @param promptPattern the prompt pattern that recognised the prompt line
 * @param placeholder the placeholder marker that the typed text turned out to be
 */
record LiveRegion(
    int start,
    int prompt,
    int inputEnd,
    String typed,
    Optional<PromptPattern> promptPattern,
    Optional<Marker> placeholder) {

  static LiveRegion locate(Screen screen, KindMarkers markers, int liveRegionLines) {
    int size = screen.size();
    int prompt = findPrompt(screen, markers);
    String typed = "";
    Optional<PromptPattern> promptPattern = Optional.empty();
    Optional<Marker> placeholder = Optional.empty();
    int inputEnd = prompt;
    if (prompt >= 0) {
      String line = screen.line(prompt);
      promptPattern = markers.promptPattern(line);
      typed = promptPattern.flatMap(pattern -> pattern.typedText(line)).orElse("");
      placeholder = markers.placeholder().firstIn(typed);
      if (placeholder.isPresent()) {
        typed = "";
      }
      inputEnd = prompt + 1;
      // typed continuation lines run until the frame closes (a chrome line) or a blank line
      while (inputEnd < size && !screen.isBlank(inputEnd) && !markers.chrome().foundIn(screen.line(inputEnd))) {
        inputEnd++;
      }
    }
    int transcriptEnd = prompt >= 0 ? prompt : size;
    int start = Math.max(0, size - liveRegionLines);
    for (int i = transcriptEnd - 1; i >= start; i--) {
      String line = screen.line(i);
      if (markers.userTurn().foundIn(line)) {
        start = i + 1;
        break;
      }
      if (markers.entryStart().foundIn(line)) {
        start = i;
        break;
      }
    }
    return new LiveRegion(start, prompt, inputEnd, typed, promptPattern, placeholder);
  }

  boolean hasPrompt() {
    return prompt >= 0;
  }

  /** Whether the line holds text typed into the prompt, which must never count as a marker. */
  boolean isInput(int index) {
    return prompt >= 0 && index >= prompt && index < inputEnd;
  }

  /** Lines above the prompt hold the transcript; without a prompt the whole screen may. */
  int transcriptEnd(Screen screen) {
    return prompt >= 0 ? prompt : screen.size();
  }

  // The live prompt is the bottom-most prompt line with no agent entry and at most prompt-tail-lines non-chrome
  // lines below it: an echoed "> message" in the transcript has the agent's answer below it, so it never qualifies.
  private static int findPrompt(Screen screen, KindMarkers markers) {
    int otherLinesBelow = 0;
    for (int i = screen.size() - 1; i >= 0; i--) {
      String line = screen.line(i);
      if (markers.promptPattern(line).isPresent()) {
        return i;
      }
      if (markers.entryStart().foundIn(line)) {
        return -1;
      }
      if (!line.isEmpty() && !markers.chrome().foundIn(line) && ++otherLinesBelow > markers.promptTailLines()) {
        return -1;
      }
    }
    return -1;
  }
}
