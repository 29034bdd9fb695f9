package dev.robustsweep.reports.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Hand-derived checks of WilcoxonSignedRankTest: the paper's test and the degenerate inputs. */
class WilcoxonSignedRankTestTest {

    @Test
    void paperTable5MonteCLoraVersusLoraIntrinsic() {
        // method-spec.md section 6, intrinsic robustness over MRPC, CoLA, RTE, WiC, BoolQ
        double[] monteclora = {3.16, 2.43, 2.18, 1.63, 1.75};
        double[] lora = {3.11, 2.38, 1.86, 1.49, 1.76};
        WilcoxonResult r = new WilcoxonSignedRankTest(ZeroMethod.WILCOX, Alternative.GREATER,
                WilcoxonMethod.EXACT, false).test(monteclora, lora);
        // only BoolQ is negative and it has the smallest |d| (0.01): rank 1, so W+ = 15 - 1 = 14;
        // P(W+ >= 14) = #{sign patterns with W+ in {14, 15}} / 2^5 = 2/32
        assertEquals(5, r.n());
        assertEquals(14.0, r.statistic());
        assertEquals(2.0 / 32.0, r.pValue(), 1e-15);
        assertEquals(WilcoxonMethod.EXACT, r.method());
        assertEquals((14.0 - 1.0) / 15.0, r.effectSize(), 1e-15);
    }

    @Test
    void twoSidedExactSmallSampleByEnumeration() {
        // d = 1, 2, -3: R+ = 3, R- = 3; the 8 sign patterns give W+ in {0,1,2,3,3,4,5,6}:
        // P(W+ <= 3) = 5/8 = P(W+ >= 3), so p = min(1, 2 * 5/8) = 1
        WilcoxonResult r = new WilcoxonSignedRankTest().testDifferences(new double[] {1, 2, -3});
        assertEquals(3.0, r.statistic());
        assertEquals(1.0, r.pValue(), 1e-15);
        // d = 1, 2, 3 greater: only the all-plus pattern reaches 6 -> 1/8
        WilcoxonResult g = new WilcoxonSignedRankTest(ZeroMethod.WILCOX, Alternative.GREATER,
                WilcoxonMethod.AUTO, false).testDifferences(new double[] {1, 2, 3});
        assertEquals(0.125, g.pValue(), 1e-15);
        assertEquals(1.0, g.effectSize(), 1e-15);
    }

    @Test
    void exactConditionalWithTiesEnumeratesSignFlipsOfAverageRanks() {
        // d = 1, 1, 2: ranks 1.5, 1.5, 3; the 8 flips give R+ in {0,1.5,1.5,3,3,4.5,4.5,6}
        // observed R+ = 6 -> greater p = 1/8; less p = 8/8
        WilcoxonSignedRankTest greater = new WilcoxonSignedRankTest(ZeroMethod.WILCOX, Alternative.GREATER,
                WilcoxonMethod.AUTO, false);
        WilcoxonResult r = greater.testDifferences(new double[] {1, 1, 2});
        assertEquals(WilcoxonMethod.EXACT_CONDITIONAL, r.method());
        assertEquals(0.125, r.pValue(), 1e-15);
        // d = 1, -1, 2: R+ = 4.5 -> P(R+ >= 4.5) = 3/8
        assertEquals(0.375, greater.testDifferences(new double[] {1, -1, 2}).pValue(), 1e-15);
    }

    @Test
    void noPairsGivesPOneNotAnException() {
        WilcoxonResult r = new WilcoxonSignedRankTest().test(new double[0], new double[0]);
        assertEquals(0, r.n());
        assertEquals(1.0, r.pValue());
        assertEquals(WilcoxonMethod.NONE, r.method());
        assertEquals(0.0, r.effectSize());
    }

    @Test
    void allZeroDifferencesGivePOneUnderEveryZeroMethod() {
        for (ZeroMethod zm : ZeroMethod.values()) {
            for (Alternative alt : Alternative.values()) {
                WilcoxonResult r = new WilcoxonSignedRankTest(zm, alt, WilcoxonMethod.ASYMPTOTIC, true)
                        .test(new double[] {0.5, 0.7, 0.9}, new double[] {0.5, 0.7, 0.9});
                assertEquals(1.0, r.pValue(), zm + " " + alt);
                assertEquals(3, r.zeros());
                assertEquals(WilcoxonMethod.NONE, r.method());
            }
        }
    }

    @Test
    void nanPairsAreDropped() {
        double[] x = {Double.NaN, 2, 3, 4};
        double[] y = {0, Double.NaN, 1, 1};
        // remaining d = 2, 3: R+ = 3 of a maximum of 3, greater exact p = 1/4
        WilcoxonResult r = new WilcoxonSignedRankTest(ZeroMethod.WILCOX, Alternative.GREATER,
                WilcoxonMethod.AUTO, false).test(x, y);
        assertEquals(2, r.n());
        assertEquals(0.25, r.pValue(), 1e-15);
        WilcoxonResult allNan = new WilcoxonSignedRankTest().test(new double[] {Double.NaN}, new double[] {1});
        assertEquals(1.0, allNan.pValue());
    }

    @Test
    void asymptoticMatchesClosedFormWithoutTies() {
        // n = 60, d_i = i (all positive): R+ = 1830, mean 915, var = 60*61*121/24 = 18452.5
        double[] d = new double[60];
        for (int i = 0; i < 60; i++) {
            d[i] = i + 1;
        }
        WilcoxonResult r = new WilcoxonSignedRankTest(ZeroMethod.WILCOX, Alternative.GREATER,
                WilcoxonMethod.AUTO, false).testDifferences(d);
        assertEquals(WilcoxonMethod.ASYMPTOTIC, r.method());
        assertEquals((1830 - 915) / Math.sqrt(18452.5), r.z(), 1e-12);
    }
}
