package dev.tmuxorc.tmux;

import java.time.Duration;

/** The control-client pool ({@code tmux-orc.monitoring.pool}). */
public record PoolSettings(int minSize, int maxSize, Duration connectionTimeout, Duration maxAge,
    Duration healthCheckInterval) { }
