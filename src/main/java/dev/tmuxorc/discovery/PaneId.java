package dev.tmuxorc.discovery;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;
import java.util.regex.Pattern;

/** A tmux pane id, {@code %} and digits: the only form of pane reference tmux-orc accepts from outside. */
public record PaneId(String value) {

  private static final Pattern FORM = Pattern.compile("%[0-9]{1,9}");

  public PaneId {
    if (value == null || !FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("not a tmux pane id (% and digits): " + value);
    }
  }

  /** The pane id in {@code text}, or empty when it is not of the form {@code %N}. */
  public static Optional<PaneId> parse(String text) {
    return text != null && FORM.matcher(text).matches() ? Optional.of(new PaneId(text)) : Optional.empty();
  }

  @JsonValue
  @Override
  public String toString() {
    return value;
  }
}
