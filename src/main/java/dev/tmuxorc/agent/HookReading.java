package dev.tmuxorc.agent;

import dev.tmuxorc.detect.HookMeaning;
import java.time.Instant;

/**
 * What one hook event means for its agent, by {@code tmux-orc.hooks.mapping}: {@code key} is the mapping key
 * that matched ({@code "Notification:permission_prompt"}, {@code "Stop"}), or the event's name when none did.
 */
public record HookReading(String source, String event, String key, HookMeaning meaning, Instant at) { }
