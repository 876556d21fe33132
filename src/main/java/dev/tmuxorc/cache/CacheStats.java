package dev.tmuxorc.cache;

/**
 * One layer's counters since start: lookups that found an entry (hits) or not (misses), entries evicted for size
 * or expiry, and its size against its bound.
 */
public record CacheStats(String layer, long size, long maxSize, long hits, long misses, long evictions,
    double hitRate) { }
