package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlurmJobStateTest {

    @ParameterizedTest
    @CsvSource({
            "PENDING, PENDING, false", "RUNNING, RUNNING, false", "COMPLETING, COMPLETING, false",
            "PREEMPTED, PREEMPTED, false", "REQUEUED, REQUEUED, false", "SUSPENDED, SUSPENDED, false",
            "COMPLETED, COMPLETED, true", "FAILED, FAILED, true", "CANCELLED, CANCELLED, true",
            "TIMEOUT, TIMEOUT, true", "NODE_FAIL, NODE_FAIL, true", "OUT_OF_MEMORY, OUT_OF_MEMORY, true",
            "'CANCELLED by 1000', CANCELLED, true", "CANCELLED+, CANCELLED, true", "OUT_OF_ME+, UNKNOWN, false",
            "PD, PENDING, false", "R, RUNNING, false", "CA, CANCELLED, true", "TO, TIMEOUT, true", "PR, PREEMPTED, false",
            "OOM, OUT_OF_MEMORY, true", "NF, NODE_FAIL, true", "running, RUNNING, false", "SOMETHING_NEW, UNKNOWN, false"})
    void parsesStatesAndKnowsWhichAreFinal(String text, SlurmJobState expected, boolean isFinal) {
        SlurmJobState s = SlurmJobState.parse(text);
        assertEquals(expected, s);
        assertEquals(isFinal, s.isFinal());
    }

    @Test
    void preemptedAndRequeuedAreNotFinal() {
        assertFalse(SlurmJobState.PREEMPTED.isFinal());
        assertFalse(SlurmJobState.REQUEUED.isFinal());
        assertTrue(SlurmJobState.TIMEOUT.isFinal());
        assertEquals(SlurmJobState.UNKNOWN, SlurmJobState.parse(null));
    }

    @Test
    void exitCodeParsesCodeAndSignal() {
        assertEquals(new SlurmExitCode(0, 15), SlurmExitCode.parse("0:15"));
        assertEquals(new SlurmExitCode(1, 0), SlurmExitCode.parse("1:0"));
        assertEquals(new SlurmExitCode(2, 0), SlurmExitCode.parse("2"));
        assertEquals(null, SlurmExitCode.parse(""));
        assertEquals(null, SlurmExitCode.parse("N/A"));
        assertEquals("0:9", new SlurmExitCode(0, 9).toString());
    }
}
