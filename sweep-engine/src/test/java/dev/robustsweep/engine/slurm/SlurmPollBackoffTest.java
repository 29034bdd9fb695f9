package dev.robustsweep.engine.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlurmPollBackoffTest {

    @Test
    void growsByHalfUpToThirtySecondsAndResetsOnChange() {
        PollBackoff b = new PollBackoff();
        List<Long> ms = new ArrayList<>();
        for (int i = 0; i < 11; i++) ms.add(b.next(false).toMillis());
        // 1000 * 1.5^k rounded at each step, capped at 30000
        assertEquals(List.of(1000L, 1500L, 2250L, 3375L, 5063L, 7595L, 11393L, 17090L, 25635L, 30000L, 30000L), ms);
        assertEquals(1000L, b.next(true).toMillis());
        assertEquals(1500L, b.next(false).toMillis());
        b.reset();
        assertEquals(1000L, b.next(false).toMillis());
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new PollBackoff(Duration.ZERO, 2, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new PollBackoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new PollBackoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)));
    }
}
