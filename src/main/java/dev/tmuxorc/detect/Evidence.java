package dev.tmuxorc.detect;

/** Why the classifier decided: which rule and marker matched, on which (1-based) screen line. */
public record Evidence(String rule, String marker, int line, String text) { }
