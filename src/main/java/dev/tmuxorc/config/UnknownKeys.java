package dev.tmuxorc.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Keys under {@code tmux-orc} in the user's file that tmux-orc does not know: a typo there would otherwise be
 * ignored silently and the default used. Each warning names the closest valid key.
 */
public final class UnknownKeys {

  /** Subtrees whose keys are the user's own (command names, marker sets), so any key there is valid. */
  private static final List<String> OPEN = List.of("tmux-orc.discovery.agent-commands.", "tmux-orc.detection.");

  private final Set<String> valid;

  private UnknownKeys(Set<String> valid) {
    this.valid = valid;
  }

  /** Against the keys of every reference.conf on the class path. */
  public static UnknownKeys ofReference() {
    return of(ConfigFactory.defaultReference());
  }

  public static UnknownKeys of(Config reference) {
    Set<String> paths = new TreeSet<>();
    if (reference.hasPath("tmux-orc")) {
      reference.withOnlyPath("tmux-orc").entrySet().forEach(e -> paths.add(e.getKey()));
    }
    return new UnknownKeys(paths);
  }

  /** One warning per unknown key under {@code tmux-orc} of {@code user} (a parsed file), in key order. */
  public List<String> check(Config user) {
    Map<String, ConfigValue> leaves = new TreeMap<>();
    ConfigValue root = user.root().get("tmux-orc");
    if (root instanceof ConfigObject object) {
      collect("tmux-orc", object, leaves);
    }
    List<String> warnings = new ArrayList<>();
    leaves.forEach((key, value) -> {
      if (!known(key)) {
        String where = Optional.ofNullable(value.origin().description()).orElse("");
        warnings.add("unknown configuration key " + key + (where.isEmpty() ? "" : " (" + where + ")")
            + suggestion(key).map(s -> ": did you mean " + s + "?").orElse(""));
      }
    });
    return warnings;
  }

  // Walks the tree by hand: the file is not resolved yet, and Config.entrySet() refuses unresolved values.
  private static void collect(String path, ConfigObject object, Map<String, ConfigValue> leaves) {
    object.forEach((key, value) -> {
      String child = path + "." + ConfigUtil.joinPath(key);
      if (value instanceof ConfigObject nested && !nested.isEmpty()) {
        collect(child, nested, leaves);
      } else {
        leaves.put(child, value);
      }
    });
  }

  private boolean known(String key) {
    return valid.contains(key) || OPEN.stream().anyMatch(key::startsWith)
        || valid.stream().anyMatch(v -> v.startsWith(key + ".")); // an empty object where one belongs
  }

  /** The closest valid key by edit distance, if close enough; else one with the same last segment. */
  Optional<String> suggestion(String key) {
    String best = valid.stream().min(Comparator.comparingInt(v -> distance(key, v))).orElse(null);
    if (best != null && distance(key, best) <= Math.max(3, key.length() / 4)) {
      return Optional.of(best);
    }
    String last = key.substring(key.lastIndexOf('.') + 1);
    return valid.stream().filter(v -> v.endsWith("." + last)).findFirst();
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
