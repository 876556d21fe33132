package dev.tmuxorc.metrics;

/**
 * A snapshot of one cache layer's numbers: its size and bound, and its cumulative hits, misses and evictions
 * (as Caffeine's {@code stats()} reports them, counted since the cache was built).
 */
public record CacheLayerStats(String layer, long size, long maxSize, long hits, long misses, long evictions) { }
