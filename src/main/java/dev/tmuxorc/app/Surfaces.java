package dev.tmuxorc.app;

import com.typesafe.config.Config;
import dev.tmuxorc.http.HttpSettings;
import dev.tmuxorc.journal.JournalSettings;
import java.util.Optional;

/**
 * The surfaces a tree serves besides the monitor itself: the journal and the HTTP API, each when configured.
 * One-shot and measuring uses (the benchmark, tests) go without them.
 */
public record Surfaces(Optional<JournalSettings> journal, Optional<HttpSettings> http) {

  public static final Surfaces NONE = new Surfaces(Optional.empty(), Optional.empty());

  /** The surfaces the configuration turns on ({@code tmux-orc.journal.enabled}, {@code tmux-orc.http.enabled}). */
  public static Surfaces from(Config config) {
    JournalSettings journal = JournalSettings.from(config);
    HttpSettings http = HttpSettings.from(config);
    return new Surfaces(Optional.of(journal).filter(JournalSettings::enabled),
        Optional.of(http).filter(HttpSettings::enabled));
  }
}
