package dev.tmuxorc.detect;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One captured screen as normalised lines: no escape sequences, no NBSP, no trailing blanks or blank lines.
 *
 * <p>Lines are cut lazily: the screen keeps where each line starts and ends, and makes a line's String only
 * when the classifier reads it. The classifier judges the live region at the bottom, so most of a 50-line
 * transcript is never copied (cutting every line was 80% of classifying a full 200x50 screen). Used by one
 * thread, for one classification.
 */
final class Screen {

  private static final Pattern BLANKS = Pattern.compile("\\s{2,}+");

  private static final char ESC = '\u001b';
  private static final char BEL = '\u0007';
  private static final char NBSP = '\u00a0';

  private final String text;
  private final int[] starts;
  private final int[] ends;
  private final String[] lines;

  private Screen(String text, int[] starts, int[] ends, int size) {
    this.text = text;
    this.starts = starts;
    this.ends = ends;
    this.lines = new String[size];
  }

  static Screen of(String capture) {
    String text = capture.indexOf(ESC) >= 0 || capture.indexOf('\r') >= 0 ? withoutEscapes(capture) : capture;
    int[] starts = new int[64];
    int[] ends = new int[64];
    int size = 0;
    int start = 0;
    while (true) {
      int newline = text.indexOf('\n', start);
      int end = newline < 0 ? text.length() : newline;
      while (end > start && isBlank(text.charAt(end - 1))) {
        end--;
      }
      if (size == starts.length) {
        starts = Arrays.copyOf(starts, size * 2);
        ends = Arrays.copyOf(ends, size * 2);
      }
      starts[size] = start;
      ends[size] = end;
      size++;
      if (newline < 0) {
        break;
      }
      start = newline + 1;
    }
    while (size > 0 && starts[size - 1] == ends[size - 1]) {
      size--;
    }
    return new Screen(text, starts, ends, size);
  }

  /** Number of lines up to and including the last non-empty one. */
  int size() {
    return lines.length;
  }

  String line(int index) {
    Objects.checkIndex(index, lines.length);
    String line = lines[index];
    if (line == null) {
      line = text.substring(starts[index], ends[index]);
      if (line.indexOf(NBSP) >= 0) {
        // Claude Code writes a non-breaking space after its prompt character
        line = line.replace(NBSP, ' ');
      }
      lines[index] = line;
    }
    return line;
  }

  boolean isBlank(int index) {
    Objects.checkIndex(index, lines.length);
    return starts[index] == ends[index];
  }

  /** Evidence for the line at a 0-based index. */
  Evidence evidence(String rule, String marker, int index) {
    // Runs of blanks squeezed: a box line is padded to the pane's width, and evidence travels in every listing.
    return new Evidence(rule, marker, index + 1, BLANKS.matcher(line(index).strip()).replaceAll(" "));
  }

  private static boolean isBlank(char c) {
    return c == NBSP || Character.isWhitespace(c);
  }

  // Captures are normally plain text; "capture-pane -e" adds CSI/OSC sequences, and carriage returns mean nothing.
  private static String withoutEscapes(String text) {
    StringBuilder plain = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ESC) {
        i = endOfEscape(text, i);
      } else if (c != '\r') {
        plain.append(c);
      }
    }
    return plain.toString();
  }

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
