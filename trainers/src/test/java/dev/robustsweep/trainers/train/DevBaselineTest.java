package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevBaselineTest {
    @Test
    void majorityAndPriorNllOfAnImbalancedSplit() {
        DevBaseline b = DevBaseline.of(new int[] {1, 1, 0, 1}, 2);
        assertEquals(List.of(1, 3), b.labelCounts());
        assertEquals(0.75, b.majorityAccuracy(), 0);
        // -(1/4 ln 1/4 + 3/4 ln 3/4), by hand: 0.34657359 + 0.21576155
        assertEquals(0.5623351446188083, b.priorNll(), 1e-15);
    }

    @Test
    void mrpcDevSplit() {
        // GLUE MRPC dev: 279 paraphrases of 408 (the paper's majority-class 68.4%)
        int[] labels = new int[408];
        for (int i = 0; i < 279; i++) labels[i] = 1;
        DevBaseline b = DevBaseline.of(labels, 2);
        assertEquals(0.6838235294117647, b.majorityAccuracy(), 1e-15);
        double p = 279 / 408.0;
        assertEquals(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)), b.priorNll(), 1e-15);
    }

    @Test
    void emptyClassesAddNothingAndOneClassIsCertain() {
        DevBaseline b = DevBaseline.of(new int[] {2, 2, 2}, 3);
        assertEquals(List.of(0, 0, 3), b.labelCounts());
        assertEquals(1.0, b.majorityAccuracy(), 0);
        assertEquals(0.0, b.priorNll(), 0);
        assertThrows(IllegalArgumentException.class, () -> DevBaseline.of(new int[0], 2));
    }
}
