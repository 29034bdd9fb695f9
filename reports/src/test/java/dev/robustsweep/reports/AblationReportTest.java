package dev.robustsweep.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 6: the ablation plots (paper Figures 6-9) find the varied settings in the results' trial
 * objects, as a run of grids/ablation-monteclora.yaml writes them, on a synthetic run folder.
 */
class AblationReportTest {
    @TempDir Path dir;

    /**
     * variant -> {base method, lora json, monteclora json, accuracy at the 3 learning rates}; the trial
     * object carries what the engine writes per trial (its grid_point, the device slot: the base methods'
     * trials on GPU 0, the variants' on GPU 1), which are not settings.
     */
    private static void write(Path run, String variant, String base, String lora, String monteclora, double... acc) throws Exception {
        double[] lrs = {1e-4, 2e-4, 3e-4};
        for (String task : List.of("mrpc", "rte")) {
            for (int i = 0; i < lrs.length; i++) {
                String id = task + "-" + variant + "-" + i;
                Path d = Files.createDirectories(run.resolve("trials").resolve(id));
                Files.writeString(d.resolve("result.json"), String.format(Locale.ROOT, """
                        {"trial_id": "%s", "status": "completed", "task": "%s", "method": "%s",
                         "grid_point": {"learning_rate": %s, "seed": 42},
                         "metrics": {"accuracy": %s, "nll": %s},
                         "trial": {"trial_id": "%s", "method": "%s", "method_name": "%s", "task": {"name": "%s"},
                                   "grid_point": {"learning_rate": %s, "seed": 42}, "device": "%s", "threads": 1,
                                   "learning_rate": %s, "seed": 42, "epochs": 10, "lora": %s, "monteclora": %s}}
                        """, id, task, variant, lrs[i], acc[i] + (task.equals("rte") ? -0.1 : 0), 1 - acc[i], id, base, variant,
                        task, lrs[i], variant.equals(base) ? "0" : "1", lrs[i], lora, monteclora));
            }
        }
    }

    @Test
    void findsEachAblatedSettingAndPlotsTheMedianPerValue() throws Exception {
        Path run = dir.resolve("run");
        String lora = "{\"r\": 8, \"target_modules\": [\"query\", \"key\", \"value\"]}";
        String mc = "{\"mixtures\": 4, \"sample_scaler\": 0.005}";
        write(run, "lora", "lora", lora, mc, 0.70, 0.80, 0.75);
        write(run, "lora-all", "lora", "{\"r\": 8, \"target_modules\": [\"all\"]}", mc, 0.71, 0.82, 0.76);
        write(run, "monteclora", "monteclora", lora, mc, 0.74, 0.81, 0.78);
        write(run, "monteclora-n8", "monteclora", lora, "{\"mixtures\": 8, \"sample_scaler\": 0.005}", 0.60, 0.90, 0.77);
        write(run, "monteclora-n16", "monteclora", lora, "{\"mixtures\": 16, \"sample_scaler\": 0.005}", 0.79, 0.79, 0.79);
        // two settings changed at once: no single axis, so no point anywhere
        write(run, "monteclora-both", "monteclora", lora, "{\"mixtures\": 2, \"sample_scaler\": 0.01}", 0.5, 0.5, 0.5);

        Ablations a = Ablations.of(run);
        assertEquals(List.of("lora.target_modules", "monteclora.mixtures"), List.copyOf(a.axes().keySet()));
        assertEquals(Map.of("4", "monteclora", "8", "monteclora-n8", "16", "monteclora-n16"), a.axes().get("monteclora.mixtures").get("monteclora"));
        assertEquals(Map.of("[\"query\",\"key\",\"value\"]", "lora", "[\"all\"]", "lora-all"), a.axes().get("lora.target_modules").get("lora"));

        Path out = dir.resolve("report");
        Report.generate(run, ReportOptions.builder().optOutDir(out).optInference(new InferenceOptions(100, 1, 0.05)).build());
        String html = Files.readString(out.resolve("report.html"));
        assertEquals(2 * 2, html.split("data-figure=\"ablation\"", -1).length - 1, "2 axes x (accuracy, nll)");
        // monteclora-n8: medians 0.77 (mrpc) and 0.67 (rte) -> 0.72; drawn with x labels in numeric order 4, 8, 16
        assertEquals(0.72, dev.robustsweep.reports.render.AblationFigureAccess.median(Report.compute(run,
                ReportOptions.builder().optInference(new InferenceOptions(0, 1, 0.05)).build()).scores(), "monteclora-n8", "accuracy"), 1e-12);
        int fig = html.indexOf("median accuracy over monteclora.mixtures");
        assertTrue(fig > 0);
        String svg = html.substring(fig, html.indexOf("</svg>", fig));
        assertTrue(svg.indexOf(">4</text>") < svg.indexOf(">8</text>") && svg.indexOf(">8</text>") < svg.indexOf(">16</text>"), svg);
        assertTrue(svg.contains("<polyline"), "a line over the setting's values");
    }

    @Test
    void ticksOverANarrowRangeAreDistinct() {
        // NLL medians 0.6995 .. 0.7005 (a reduced-scale run): Svg.ticks gives 0.0002 steps, each label must differ
        double[] t = dev.robustsweep.reports.render.AblationFigureAccess.ticks(0.6995, 0.7005);
        List<String> labels = java.util.Arrays.stream(t).mapToObj(v -> dev.robustsweep.reports.render.Numbers.tickLabel(v, t[1] - t[0])).toList();
        assertEquals(List.of("0.6996", "0.6998", "0.7000", "0.7002", "0.7004"), labels);
        // at most 6 decimals (AblationFigure draws spreads under 1e-6 flat)
        assertEquals("0.699688", dev.robustsweep.reports.render.Numbers.tickLabel(0.699687781, 1e-9));
        // wide ranges keep the usual labels
        assertEquals("0.25", dev.robustsweep.reports.render.Numbers.tickLabel(0.25, 0.05));
    }

    @Test
    void aCsvOrARunWithoutVariantsHasNoAblations() throws Exception {
        Path csv = Files.writeString(dir.resolve("s.csv"), "task,method,learning_rate,accuracy\nt,lora,1e-4,0.5\n");
        assertTrue(Ablations.of(csv).isEmpty());
        Path run = dir.resolve("plain");
        write(run, "lora", "lora", "{\"r\": 8}", "{}", 0.7, 0.8, 0.75);
        assertTrue(Ablations.of(run).isEmpty());
    }
}
