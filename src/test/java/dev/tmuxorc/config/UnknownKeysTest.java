package dev.tmuxorc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnknownKeysTest {

  private final UnknownKeys keys = UnknownKeys.ofReference();

  @Test
  void aTypoIsNamedWithTheClosestValidKey() {
    List<String> warnings = keys.check(ConfigFactory.parseString(
        "tmux-orc.monitring.poll-interval = 2s\ntmux-orc.monitoring.poll-interval = 1s"));
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("unknown configuration key tmux-orc.monitring.poll-interval"),
        warnings.get(0));
    assertTrue(warnings.get(0).endsWith("did you mean tmux-orc.monitoring.poll-interval?"), warnings.get(0));
  }

  @Test
  void aKeyInTheWrongPlaceIsMatchedByItsLastSegment() {
    assertEquals(Optional.of("tmux-orc.monitoring.poll-interval"), keys.suggestion("tmux-orc.poll-interval"));
    assertEquals(Optional.empty(), keys.suggestion("tmux-orc.something-else-entirely"));
  }

  @Test
  void validKeysTheUsersOwnSubtreesAndOtherRootsAreNotWarnedAbout() {
    assertEquals(List.of(), keys.check(ConfigFactory.parseString("""
        tmux-orc {
          monitoring { strategy = polling, pool { max-size = 2 } }
          discovery.agent-commands { my-claude-wrapper = claude }
          detection { }
          http.port = 0
          actions.dry-run = true
          tmux.socket-name = ${?SOME_VARIABLE}
        }
        pekko.loglevel = DEBUG
        """)));
  }

  @Test
  void levenshtein() {
    assertEquals(0, UnknownKeys.distance("abc", "abc"));
    assertEquals(1, UnknownKeys.distance("monitring", "monitoring"));
    assertEquals(3, UnknownKeys.distance("kitten", "sitting"));
    assertEquals(4, UnknownKeys.distance("", "four"));
  }
}
