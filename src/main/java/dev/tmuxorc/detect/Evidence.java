package dev.tmuxorc.detect;

/**
 * One reason for a classification: which rule fired, on which configured marker, at which screen line.
 *
 * @param rule the rule that fired, e.g. "working", "shell-prompt", "pane-dead"
 * @param marker the configured marker as written in the config, or the fact used (e.g. "#{pane_dead}")
 * @param line 1-based line number in the captured screen, 0 when the evidence is not a screen line
 * @param text that line, trimmed
 */
public record Evidence(String rule, String marker, int line, String text) {}
