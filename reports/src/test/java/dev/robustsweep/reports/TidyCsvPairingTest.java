package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tidy CSV with hyperparameter columns: grid points pair by learning rate, batch size and seed. */
class TidyCsvPairingTest {
    @TempDir
    Path tmp;

    @Test
    void withinTaskPairsByHyperparameterColumns() throws Exception {
        Path csv = tmp.resolve("scores.csv");
        // monteclora beats lora by .1, .2, .3 at three shared grid points; one more point only for monteclora;
        // lora's diverged point keeps its score, its failed point has none
        Files.writeString(csv, """
                task,method,learning_rate,batch_size,seed,status,accuracy,nll
                rte,lora,1e-4,8,1,completed,0.5,0.9
                rte,lora,1e-4,32,1,completed,0.5,0.8
                rte,lora,3e-4,8,1,diverged,0.25,2.0
                rte,lora,3e-4,32,1,failed,,
                rte,monteclora,1e-4,8,1,completed,0.6,0.7
                rte,monteclora,1e-4,32,1,completed,0.7,0.6
                rte,monteclora,3e-4,8,1,completed,0.55,0.5
                rte,monteclora,1e-3,8,1,completed,0.9,0.4
                """);
        Report.Result r = Report.compute(csv, ReportOptions.defaults());
        ComparisonRow acc = r.tests().stream().filter(c -> c.family() == ComparisonFamily.WITHIN_TASK
                && c.metric().equals("accuracy")).findFirst().orElseThrow();
        // pairs: (.6,.5) (.7,.5) (.55,.25): d = .1, .2, .3, all positive -> W+ = 6; exact P(W+ >= 6) = 1/8
        assertEquals(3, acc.n());
        assertEquals(6.0, acc.statistic());
        assertEquals(0.125, acc.pValue(), 1e-15);
        assertEquals(1.0, acc.effectSize(), 1e-15);
        // NLL is oriented so that positive = monteclora better: d = .9-.7, .8-.6, 2.0-.5 -> all positive
        ComparisonRow nll = r.tests().stream().filter(c -> c.family() == ComparisonFamily.WITHIN_TASK
                && c.metric().equals("nll")).findFirst().orElseThrow();
        assertEquals(3, nll.n());
        assertEquals(6.0, nll.statistic());
        RobustnessRow lora = r.robustness().stream().filter(x -> x.method().equals("lora") && x.task().equals("rte")
                && x.metric().equals("accuracy")).findFirst().orElseThrow();
        assertEquals(3, lora.n());
        assertEquals(1, lora.diverged());
        assertEquals(1, lora.failed());
        assertEquals(0.5, lora.robustness(), 1e-15); // median of .25, .5, .5
        assertEquals(0.25, lora.spread(), 1e-15);
    }
}
