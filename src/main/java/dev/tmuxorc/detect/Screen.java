package dev.tmuxorc.detect;

import java.util.ArrayList;
import java.util.List;

/** One captured screen as normalised lines: no escape sequences, no NBSP, no trailing blanks or blank lines. */
final class Screen {

  private static final char ESC = '\u001b';
  private static final char BEL = '\u0007';

  private final List<String> lines;

  private Screen(List<String> lines) {
    this.lines = lines;
  }

  static Screen of(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder(128);
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        lines.add(stripTrailing(line));
        line.setLength(0);
      } else if (c == ESC) {
        i = endOfEscape(text, i);
      } else if (c == '\u00a0') {
        // Claude Code writes a non-breaking space after its prompt character
        line.append(' ');
      } else if (c != '\r') {
        line.append(c);
      }
    }
    lines.add(stripTrailing(line));
    int size = lines.size();
    while (size > 0 && lines.get(size - 1).isEmpty()) {
      size--;
    }
    return new Screen(List.copyOf(lines.subList(0, size)));
  }

  /** Number of lines up to and including the last non-empty one. */
  int size() {
    return lines.size();
  }

  String line(int index) {
    return lines.get(index);
  }

  boolean isBlank(int index) {
    return lines.get(index).isEmpty();
  }

  /** Evidence for the line at a 0-based index. */
  Evidence evidence(String rule, String marker, int index) {
    return new Evidence(rule, marker, index + 1, lines.get(index).strip());
  }

  private static String stripTrailing(StringBuilder line) {
    int end = line.length();
    while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(0, end);
  }

  // Captures are normally plain text; "capture-pane -e" adds CSI/OSC sequences we skip.
  private static int endOfEscape(String text, int escIndex) {
    int i = escIndex + 1;
    if (i >= text.length()) {
      return i;
    }
    char kind = text.charAt(i);
    if (kind == '[') {
      for (i++; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c >= 0x40 && c <= 0x7e) {
          return i;
        }
      }
      return i;
    }
    if (kind == ']') {
      for (i++; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == BEL) {
          return i;
        }
        if (c == ESC && i + 1 < text.length() && text.charAt(i + 1) == '\\') {
          return i + 1;
        }
      }
      return i;
    }
    return i;
  }
}
