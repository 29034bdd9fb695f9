package dev.robustsweep.reports.stats;

/**
 * SplitMix64 (Steele, Lea and Flood 2014): the documented random stream behind every bootstrap
 * resample, chosen because a few lines of Python reproduce it bit for bit (the golden test does).
 * state += 0x9E3779B97F4A7C15; z = state; z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9;
 * z = (z ^ (z >>> 27)) * 0x94D049BB133111EB; return z ^ (z >>> 31) (all mod 2^64).
 */
public final class SplitMix64 {
    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** Next 64 random bits. */
    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Index in [0, n): the next 64 bits read unsigned, modulo n (bias below n / 2^64, negligible). */
    public int nextIndex(int n) {
        return (int) Long.remainderUnsigned(nextLong(), n);
    }
}
