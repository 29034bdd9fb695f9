package dev.robustsweep.reports;

import dev.robustsweep.reports.stats.Alternative;
import dev.robustsweep.reports.stats.WilcoxonMethod;
import dev.robustsweep.reports.stats.ZeroMethod;
import java.nio.file.Path;
import java.util.List;

/**
 * What a report computes and where it goes. Build with {@link #builder()}; every field has a default.
 *
 * @param outDir      output folder [null = {@code <run>/report/}, for a CSV {@code <csv dir>/report/}]
 * @param reference   method compared against every other [null = monteclora if present, else the first method]
 * @param alternative Wilcoxon alternative, oriented so that greater = reference better [greater, the paper's claim]
 * @param metrics     scores to report [accuracy, nll: the paper's extrinsic and intrinsic; ece where present]; f1, mcc, brier on request
 * @param zeroMethod  Wilcoxon treatment of zero differences [wilcox]
 * @param testMethod  Wilcoxon p-value method [auto, as scipy]
 * @param continuityCorrection continuity correction of the normal approximation [false, as scipy]
 * @param html        write report.html [true]
 * @param metricsExplicit true when the metrics were asked for (then a missing CSV column is an error)
 * @param inference   bootstrap B and seed, alpha [{@link InferenceOptions#DEFAULTS}]
 */
public record ReportOptions(Path outDir, String reference, Alternative alternative, List<String> metrics,
                            ZeroMethod zeroMethod, WilcoxonMethod testMethod, boolean continuityCorrection,
                            boolean html, boolean metricsExplicit, InferenceOptions inference) {
    /** The paper's two robustness scores, and ECE (paper Table 7) where the results have it. */
    public static final List<String> DEFAULT_METRICS = List.of("accuracy", "nll", "ece");

    public ReportOptions {
        metrics = List.copyOf(metrics);
        inference = inference == null ? InferenceOptions.DEFAULTS : inference;
    }

    /** Default inference settings. */
    public ReportOptions(Path outDir, String reference, Alternative alternative, List<String> metrics,
                         ZeroMethod zeroMethod, WilcoxonMethod testMethod, boolean continuityCorrection,
                         boolean html, boolean metricsExplicit) {
        this(outDir, reference, alternative, metrics, zeroMethod, testMethod, continuityCorrection, html,
                metricsExplicit, InferenceOptions.DEFAULTS);
    }

    /** All defaults. */
    public static ReportOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder: optional settings only, each with its default. */
    public static final class Builder {
        private Path outDir;
        private String reference;
        private Alternative alternative = Alternative.GREATER;
        private List<String> metrics = DEFAULT_METRICS;
        private boolean metricsExplicit;
        private ZeroMethod zeroMethod = ZeroMethod.WILCOX;
        private WilcoxonMethod testMethod = WilcoxonMethod.AUTO;
        private boolean continuityCorrection;
        private boolean html = true;
        private InferenceOptions inference = InferenceOptions.DEFAULTS;

        /** Bootstrap B (0 = no intervals), its seed, and alpha. */
        public Builder optInference(InferenceOptions settings) {
            this.inference = settings;
            return this;
        }

        public Builder optOutDir(Path dir) {
            this.outDir = dir;
            return this;
        }

        public Builder optReference(String method) {
            this.reference = method;
            return this;
        }

        public Builder optAlternative(Alternative a) {
            this.alternative = a;
            return this;
        }

        /** Metrics to report; an empty list keeps the default. */
        public Builder optMetrics(List<String> names) {
            if (names != null && !names.isEmpty()) {
                this.metrics = names.stream().map(s -> s.trim().toLowerCase(java.util.Locale.ROOT)).distinct().toList();
                this.metricsExplicit = true;
            }
            return this;
        }

        public Builder optZeroMethod(ZeroMethod z) {
            this.zeroMethod = z;
            return this;
        }

        public Builder optTestMethod(WilcoxonMethod m) {
            this.testMethod = m;
            return this;
        }

        public Builder optContinuityCorrection(boolean on) {
            this.continuityCorrection = on;
            return this;
        }

        public Builder optHtml(boolean on) {
            this.html = on;
            return this;
        }

        public ReportOptions build() {
            return new ReportOptions(outDir, reference, alternative, metrics, zeroMethod, testMethod,
                    continuityCorrection, html, metricsExplicit, inference);
        }
    }
}
