package dev.tmuxorc.agent;

import dev.tmuxorc.detect.HookMeaning;
import java.util.Map;

/**
 * Reads hook events by {@code tmux-orc.hooks.mapping}: an {@code "Event:value"} key whose value one of the event's
 * qualifying fields has (in {@link HookEvent#DETAILS} order) wins over the plain {@code "Event"} key; an event
 * that matches neither means nothing ({@code ignore}).
 */
public final class HookMapping {

  private final Map<String, Map<String, HookMeaning>> bySource;

  public HookMapping(Map<String, Map<String, HookMeaning>> bySource) {
    this.bySource = Map.copyOf(bySource);
  }

  public HookReading read(HookEvent event) {
    Map<String, HookMeaning> meanings = bySource.getOrDefault(event.source(), Map.of());
    for (String field : HookEvent.DETAILS) {
      String value = event.details().get(field);
      if (value != null) {
        String key = event.name() + ":" + value;
        HookMeaning meaning = meanings.get(key);
        if (meaning != null) {
          return new HookReading(event.source(), event.name(), key, meaning, event.at());
        }
      }
    }
    return new HookReading(event.source(), event.name(), event.name(),
        meanings.getOrDefault(event.name(), HookMeaning.IGNORE), event.at());
  }
}
