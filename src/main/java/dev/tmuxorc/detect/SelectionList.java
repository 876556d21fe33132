package dev.tmuxorc.detect;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An interactive selection list at the bottom of the screen: numbered options (or aligned items) with exactly one
 * cursor on them and a key-hint footer ("Enter to select", "Esc to cancel", "(esc)"), in a box or not.
 *
 * <p>Permission prompts, question pickers, MCP approval, plan approval, trust and model pickers all share this
 * shape, so one structural rule catches them whatever their wording; the kind's selection-footer markers are the
 * only data. A numbered list in the agent's answer has no cursor and no key hints, and one above the live prompt
 * is never looked at.
 */
final class SelectionList {

  /** Lines allowed between two options (an option's wrapped description) and between the list and its footer. */
  private static final int MAX_GAP = 6;

  /** Lines an unnumbered list may have between its footer and its cursor. */
  private static final int MAX_ITEMS = 30;

  // An option: box borders, then Codex's "▌" gutter before a cursor, then the cursor, then "N. " and its label.
  private static final Pattern OPTION = Pattern.compile(
      "^[ │┃]*+(?:▌ *+(?=[❯>›▶●➤]))?(?<cursor>[❯>›▌▶●➤])? *+[○◯]? *+"
          + "(?<number>\\d{1,2})\\. ++\\S");

  // An unnumbered item under a cursor (e.g. a settings list); its siblings start where its label starts.
  private static final Pattern CURSOR_ITEM =
      Pattern.compile("^[ │┃]*+[❯›▶➤] ++(?!\\d{1,2}\\. )(?<label>\\S)");

  private SelectionList() {}

  /** The cursor line of the live selection list at or below line `from`, with the key hint as the marker. */
  static Optional<Evidence> find(Screen screen, KindMarkers markers, int from) {
    if (markers.selectionFooter().markers().isEmpty()) {
      return Optional.empty();
    }
    for (int footer = screen.size() - 1; footer >= from; footer--) {
      String line = screen.line(footer);
      if (markers.quoted().foundIn(line) || markers.entryStart().foundIn(line)) {
        continue;
      }
      Optional<Marker> hint = markers.selectionFooter().firstIn(line);
      if (hint.isPresent()) {
        int cursor = numberedCursor(screen, markers, from, footer);
        if (cursor < 0) {
          cursor = itemCursor(screen, markers, from, footer);
        }
        return cursor < 0 ? Optional.empty() : Optional.of(screen.evidence("selection", hint.get().source(), cursor));
      }
    }
    return Optional.empty();
  }

  // Bottom-up from the footer: the options N, N-1, ..., 1, each within MAX_GAP lines of the next; one cursor.
  private static int numberedCursor(Screen screen, KindMarkers markers, int from, int footer) {
    Matcher option = OPTION.matcher("");
    int expected = -1;
    int cursor = -1;
    int cursors = 0;
    int options = 0;
    int gap = 0;
    for (int i = footer; i >= from && gap <= MAX_GAP; i--) {
      String line = screen.line(i);
      if (markers.entryStart().foundIn(line)) {
        break;
      }
      if (markers.quoted().foundIn(line) || !option.reset(line).find()) {
        gap++;
        continue;
      }
      int number = Integer.parseInt(option.group("number"));
      if (expected >= 0 && number != expected) {
        gap++;
        continue;
      }
      options++;
      gap = 0;
      if (option.group("cursor") != null) {
        cursors++;
        cursor = i;
      }
      if (number == 1) {
        return options >= 2 && cursors == 1 ? cursor : -1;
      }
      expected = number - 1;
    }
    return -1;
  }

  // Bottom-up from the footer, over at most MAX_GAP blank lines and then the list's block of non-blank lines: the
  // cursor line, with a sibling item right above or below it.
  private static int itemCursor(Screen screen, KindMarkers markers, int from, int footer) {
    Matcher item = CURSOR_ITEM.matcher("");
    int gap = 0;
    int block = 0;
    for (int i = footer; i >= from; i--) {
      String line = screen.line(i);
      if (markers.entryStart().foundIn(line)) {
        return -1;
      }
      if (item.reset(line).find()) {
        int column = item.start("label");
        return isSibling(screen, i - 1, column) || isSibling(screen, i + 1, column) ? i : -1;
      }
      if (i == footer) {
        continue;
      }
      if (screen.isBlank(i) ? block > 0 || ++gap > MAX_GAP : ++block > MAX_ITEMS) {
        return -1;
      }
    }
    return -1;
  }

  // A sibling item: nothing but blanks and box borders before the label column, and a label there.
  private static boolean isSibling(Screen screen, int index, int column) {
    if (index < 0 || index >= screen.size()) {
      return false;
    }
    String line = screen.line(index);
    if (line.length() <= column || Character.isWhitespace(line.charAt(column)) || line.charAt(column) == '│') {
      return false;
    }
    for (int i = 0; i < column; i++) {
      char c = line.charAt(i);
      if (c != ' ' && c != '│' && c != '┃') {
        return false;
      }
    }
    return true;
  }
}
