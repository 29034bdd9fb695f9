package dev.robustsweep.trainers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values of transformers' get_linear_schedule_with_warmup / get_constant_schedule_with_warmup lambdas. */
class LearningRateScheduleTest {
    @Test
    void linearWarmupThenDecayToZero() {
        LearningRateSchedule s = new LearningRateSchedule("linear", 1e-3, 10, 110);
        assertEquals(0.0, s.lr(0));
        assertEquals(5e-4, s.lr(5), 1e-15);
        assertEquals(1e-3, s.lr(10), 1e-15);
        assertEquals(1e-3 * 50 / 100, s.lr(60), 1e-15);
        assertEquals(0.0, s.lr(110));
    }

    @Test
    void constantAfterWarmup() {
        LearningRateSchedule s = new LearningRateSchedule("constant", 2e-5, 4, 100);
        assertEquals(1e-5, s.lr(2), 1e-18);
        assertEquals(2e-5, s.lr(99));
    }

    @Test
    void warmupRatioRoundsUp() {
        assertEquals(21, LearningRateSchedule.warmupSteps(0, 0.06, 345)); // ceil(20.7)
        assertEquals(7, LearningRateSchedule.warmupSteps(7, 0.06, 345));
    }
}
