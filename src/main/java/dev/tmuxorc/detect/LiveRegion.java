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
 * @param promptPattern the prompt pattern that recognised the prompt line (empty when the prompt line itself has
 *     scrolled off the top and only the rest of a long input is on screen)
 * @param placeholder the placeholder marker that the typed text turned out to be
 */
record LiveRegion(
    int start,
    int prompt,
    int inputEnd,
    String typed,
    Optional<PromptPattern> promptPattern,
    Optional<Marker> placeholder) {

  private static final Input NO_INPUT = new Input(-1, -1);

  static LiveRegion locate(Screen screen, KindMarkers markers, int liveRegionLines) {
    int size = screen.size();
    Input input = markers.framed() ? framedInput(screen, markers) : bareInput(screen, markers);
    int prompt = input.prompt();
    String typed = "";
    Optional<PromptPattern> promptPattern = Optional.empty();
    Optional<Marker> placeholder = Optional.empty();
    if (prompt >= 0) {
      String line = screen.line(prompt);
      promptPattern = markers.promptPattern(line);
      typed = promptPattern.isPresent() ? promptPattern.get().typedText(line).orElse("") : withoutBorders(line);
      placeholder = markers.placeholder().firstIn(typed);
      if (placeholder.isPresent()) {
        typed = "";
      }
      // text typed after a leading newline: the first line is empty, a later one in the frame is not
      for (int i = prompt + 1; typed.isEmpty() && placeholder.isEmpty() && i < input.end(); i++) {
        typed = withoutBorders(screen.line(i));
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
    return new LiveRegion(start, prompt, input.end(), typed, promptPattern, placeholder);
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

  /** The prompt line and the first line after the input, or -1 and -1. */
  private record Input(int prompt, int end) {}

  // Unframed prompts (aider, codex, unknown agents): the live prompt is the bottom-most prompt line with no agent
  // entry and at most prompt-tail-lines non-chrome lines below it: an echoed "> message" in the transcript has the
  // agent's answer below it, so it never qualifies. Typed continuation lines run until chrome or a blank line.
  private static Input bareInput(Screen screen, KindMarkers markers) {
    int otherLinesBelow = 0;
    for (int i = screen.size() - 1; i >= 0; i--) {
      String line = screen.line(i);
      if (markers.promptPattern(line).isPresent()) {
        int end = i + 1;
        while (end < screen.size() && !screen.isBlank(end) && !markers.isChrome(screen.line(end))) {
          end++;
        }
        return inDialogGutter(screen, markers, i) ? NO_INPUT : new Input(i, end);
      }
      if (markers.entryStart().foundIn(line)) {
        return NO_INPUT;
      }
      if (!line.isEmpty() && !markers.isChrome(line) && ++otherLinesBelow > markers.promptTailLines()) {
        return NO_INPUT;
      }
    }
    return NO_INPUT;
  }

  // A prompt glyph used as a gutter ("▌" down old Codex's approval modal): when the lines above the prompt line
  // that start with its glyph hold a dialog question, the block is that dialog, not typed text.
  private static boolean inDialogGutter(Screen screen, KindMarkers markers, int prompt) {
    String glyph = screen.line(prompt).substring(0, 1);
    if (Character.isLetterOrDigit(glyph.charAt(0))) {
      return false;
    }
    for (int i = prompt - 1; i >= 0 && screen.line(i).startsWith(glyph); i--) {
      if (markers.waiting().foundIn(screen.line(i))) {
        return true;
      }
    }
    return false;
  }

  // Framed prompts (Claude Code, Gemini CLI): the input is everything between the bottom-most frame whose first
  // non-blank line is a prompt line and its closing frame line, however many lines that is; only the footer and
  // status lines below the frame count against prompt-tail-lines. A frame without a prompt line is a dialog box.
  private static Input framedInput(Screen screen, KindMarkers markers) {
    int otherLinesBelow = 0;
    for (int close = screen.size() - 1; close >= 0; close--) {
      String line = screen.line(close);
      if (markers.frame().foundIn(line)) {
        int open = close - 1;
        while (open >= 0 && !markers.frame().foundIn(screen.line(open))) {
          open--;
        }
        int first = open + 1;
        while (first < close && screen.isBlank(first)) {
          first++; // a padding line inside the frame
        }
        if (open >= 0 && first < close && markers.promptPattern(screen.line(first)).isPresent()) {
          return new Input(first, close);
        }
        if (open < 0 && isScrolledInput(screen, markers, close)) {
          return new Input(0, close);
        }
        continue;
      }
      if (markers.entryStart().foundIn(line)) {
        return NO_INPUT;
      }
      if (!line.isEmpty() && !markers.isChrome(line) && ++otherLinesBelow > markers.promptTailLines()) {
        return NO_INPUT;
      }
    }
    return NO_INPUT;
  }

  // A typed text taller than the screen pushes the frame's top and the prompt line off the top: every line above
  // the closing frame is then input, so none of them may look like transcript, a dialog or quoted output.
  private static boolean isScrolledInput(Screen screen, KindMarkers markers, int close) {
    if (close == 0 || screen.isBlank(0)) {
      return false;
    }
    for (int i = 0; i < close; i++) {
      String line = screen.line(i);
      if (markers.isTranscript(line) || markers.waiting().foundIn(line) || markers.quoted().foundIn(line)) {
        return false;
      }
    }
    return true;
  }

  // A line inside a box ("│ text │") or indented under the prompt, as typed text.
  private static String withoutBorders(String line) {
    String text = line.strip();
    if (text.startsWith("│")) {
      text = text.substring(1);
    }
    if (text.endsWith("│")) {
      text = text.substring(0, text.length() - 1);
    }
    return text.strip();
  }
}
