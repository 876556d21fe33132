package dev.tmuxorc.detect;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;

/** The markers of one config key; a line matches when any of them is found in it. */
record MarkerSet(List<Marker> markers) {

  /** Reads the list at key; where names the enclosing block in error messages. */
  static MarkerSet fromConfig(Config config, String key, String where) {
    String path = where + "." + key;
    return new MarkerSet(
        config.getStringList(key).stream().map(source -> Marker.parse(source, path)).toList());
  }

  Optional<Marker> firstIn(String line) {
    for (Marker marker : markers) {
      if (marker.foundIn(line)) {
        return Optional.of(marker);
      }
    }
    return Optional.empty();
  }

  boolean foundIn(String line) {
    for (Marker marker : markers) {
      if (marker.foundIn(line)) {
        return true;
      }
    }
    return false;
  }
}
