package dev.robustsweep.reports.io;

import dev.robustsweep.reports.LossCurve;
import dev.robustsweep.reports.ReportInputException;
import dev.robustsweep.reports.ScoreTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Reads every result.json under a run folder, at any depth, into the tidy {@link ScoreTable}.
 * A file that cannot be read or parsed is skipped, counted and reported by name; the report goes on.
 * So is a result whose trial_id another file already gave (a copied trial folder would count twice),
 * and one under {@code trials/<id>/} whose trial_id is not {@code <id>} (the engine does not trust it either).
 * Failed trials are rows with NaN scores; diverged trials keep the scores they reached.
 */
public final class ResultFolderReader {
    /** File name of a trial's result (docs/schemas.md). */
    public static final String RESULT_FILE = "result.json";
    /** At most this many loss curves are kept per task and method (the figure would be unreadable beyond). */
    public static final int CURVES_PER_GROUP = 24;
    /** Curves are thinned to at most this many points. */
    public static final int POINTS_PER_CURVE = 200;

    private ResultFolderReader() {
    }

    /** Reads the folder; throws {@link ReportInputException} when it holds no readable result.json. */
    public static ScoreTable read(Path folder, Path skipUnder) {
        if (!Files.isDirectory(folder)) {
            throw new ReportInputException(folder, "not a folder");
        }
        // find, read and parse every result file in parallel; then restore path order (deterministic output)
        List<ResultFileWalker.Found> found = new ArrayList<>(ResultFileWalker.readAll(folder, RESULT_FILE, skipUnder));
        // path order, results in their own trial folder (trials/<trial_id>/) first: a copy elsewhere is the duplicate
        found.sort(java.util.Comparator.comparing((ResultFileWalker.Found f) -> !inOwnTrialFolder(f)).thenComparing(ResultFileWalker.Found::name));
        if (found.isEmpty()) {
            throw new ReportInputException(folder, "no " + RESULT_FILE + " found under this folder");
        }
        List<String> warnings = new ArrayList<>();
        List<TrialResult> results = new ArrayList<>(found.size());
        List<Path> resultFiles = new ArrayList<>(found.size());
        Map<String, Path> seen = new java.util.HashMap<>();
        for (ResultFileWalker.Found f : found) {
            String id = f.result() == null ? null : f.result().trialId();
            Path parent = f.file().getParent();
            boolean inTrialFolder = parent != null && parent.getParent() != null && parent.getParent().getFileName() != null
                    && parent.getParent().getFileName().toString().equals("trials");
            if (id != null && inTrialFolder && !id.equals(parent.getFileName().toString())) {
                warnings.add("skipped " + f.file() + ": its trial_id \"" + id + "\" is not its folder's trial " + parent.getFileName());
            } else if (id != null && !id.isEmpty() && seen.containsKey(id)) {
                warnings.add("skipped " + f.file() + ": trial_id \"" + id + "\" is already counted from " + seen.get(id) + " (a copy?)");
            } else if (f.result() != null) {
                if (id != null && !id.isEmpty()) seen.put(id, f.file());
                // a decoder trial scores several evaluation tasks: one row each (per_task, docs/schemas.md)
                for (TrialResult row : f.result().perTaskRows()) {
                    results.add(row);
                    resultFiles.add(f.file());
                }
            } else {
                warnings.add("skipped " + f.file() + ": " + oneLine(f.problem()));
            }
        }
        List<Path> files = found.stream().map(ResultFileWalker.Found::file).toList();
        // unreadable, duplicate or misplaced files: all named in the warnings (a decoder trial's rows count as one file)
        int corrupt = files.size() - new java.util.HashSet<>(resultFiles).size();
        if (results.isEmpty()) {
            throw new ReportInputException(files.get(0), "none of the " + files.size() + " result files could be read; "
                    + "first problem: " + (warnings.isEmpty() ? "unknown" : warnings.get(0)));
        }
        Collections.sort(warnings);
        return toTable(results, resultFiles, corrupt, warnings);
    }

    private static boolean inOwnTrialFolder(ResultFileWalker.Found f) {
        Path parent = f.file().getParent();
        return f.result() != null && parent != null && parent.getParent() != null && parent.getParent().getFileName() != null
                && parent.getParent().getFileName().toString().equals("trials") && parent.getFileName().toString().equals(f.result().trialId());
    }

    private static ScoreTable toTable(List<TrialResult> results, List<Path> resultFiles, int corrupt, List<String> warnings) {
        Map<String, Integer> curvesKept = new java.util.HashMap<>();
        int n = results.size();
        Set<String> metricNames = new TreeSet<>();
        Set<String> gridNames = new TreeSet<>();
        for (TrialResult r : results) {
            for (String k : r.metrics().keySet()) {
                if (!metricNames.contains(k)) {
                    metricNames.add(k);
                }
            }
            for (String k : r.gridPoint().keySet()) {
                if (!gridNames.contains(k)) {
                    gridNames.add(k);
                }
            }
        }
        metricNames.removeAll(List.of("eval_examples", "epoch")); // counters, not scores (schemas.md)
        List<String> baselines = ScoreTable.BASELINE_COLUMNS.stream().filter(metricNames::remove).toList(); // references, not scores
        String[] task = new String[n];
        String[] method = new String[n];
        String[] config = new String[n];
        String[] status = new String[n];
        String[] trialId = new String[n];
        List<String> metrics = new ArrayList<>(metricNames);
        double[][] metricValues = new double[metrics.size()][n];
        List<String> grid = List.copyOf(gridNames);
        double[][] gridValues = new double[grid.size()][n];
        List<LossCurve> curves = new ArrayList<>();
        List<dev.robustsweep.reports.ReliabilityCounts> reliability = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TrialResult r = results.get(i);
            task[i] = r.task();
            method[i] = r.method();
            status[i] = r.status();
            trialId[i] = r.trialId() == null ? "" : r.trialId();
            for (int g = 0; g < grid.size(); g++) {
                gridValues[g][i] = r.gridPoint().getOrDefault(grid.get(g), Double.NaN);
            }
            config[i] = r.config();
            boolean failed = r.status().equals("failed"); // a failed trial has no score (schemas.md)
            for (int m = 0; m < metrics.size(); m++) {
                Double v = r.metrics().get(metrics.get(m));
                metricValues[m][i] = failed || v == null || Double.isInfinite(v) ? Double.NaN : v;
            }
            double[][] rel = r.reliability();
            if (!failed && rel != null) {
                reliability.add(new dev.robustsweep.reports.ReliabilityCounts(r.task(), r.method(),
                        java.util.Arrays.stream(rel[0]).mapToLong(Math::round).toArray(),
                        java.util.Arrays.stream(rel[1]).mapToLong(Math::round).toArray(), rel[2]));
            }
            // the first CURVES_PER_GROUP trials of each task and method (in path order) get their curve drawn
            if (curvesKept.merge(r.task() + "\u0000" + r.method(), 1, Integer::sum) <= CURVES_PER_GROUP) {
                double[][] curve = readCurve(resultFiles.get(i));
                if (curve != null && curve[0].length > 0) {
                    double[][] thin = thin(curve);
                    curves.add(new LossCurve(r.task(), r.method(), trialId[i], r.status(), thin[0], thin[1]));
                }
            }
        }
        Table table = Table.create("scores",
                StringColumn.create(ScoreTable.TASK, task), StringColumn.create(ScoreTable.METHOD, method),
                StringColumn.create(ScoreTable.CONFIG, config), StringColumn.create(ScoreTable.STATUS, status),
                StringColumn.create(ScoreTable.TRIAL_ID, trialId));
        for (int g = 0; g < grid.size(); g++) {
            table.addColumns(DoubleColumn.create(grid.get(g), gridValues[g]));
        }
        for (int m = 0; m < metrics.size(); m++) {
            table.addColumns(DoubleColumn.create(metrics.get(m), metricValues[m]));
        }
        for (String b : baselines) {
            table.addColumns(DoubleColumn.create(b, results.stream().mapToDouble(r -> r.metrics().getOrDefault(b, Double.NaN)).toArray()));
        }
        return new ScoreTable(table, metrics, curves, corrupt, List.copyOf(warnings), grid, List.copyOf(reliability));
    }

    /** Second read of a file already parsed once, for its loss curve; null when it is gone or has none. */
    private static double[][] readCurve(Path file) {
        try {
            return ResultJsonParser.parse(Files.readAllBytes(file), true).curve();
        } catch (java.io.IOException | RuntimeException e) {
            return null; // changed since the first read: draw no curve rather than fail the report
        }
    }

    /** Keeps every k-th point (and the last) so that at most POINTS_PER_CURVE remain. */
    private static double[][] thin(double[][] curve) {
        int len = curve[0].length;
        if (len <= POINTS_PER_CURVE) {
            return curve;
        }
        int stride = (len + POINTS_PER_CURVE - 1) / POINTS_PER_CURVE;
        int kept = (len - 1) / stride + 1 + ((len - 1) % stride == 0 ? 0 : 1);
        double[][] out = new double[2][kept];
        int j = 0;
        for (int i = 0; i < len; i += stride) {
            out[0][j] = curve[0][i];
            out[1][j++] = curve[1][i];
        }
        if ((len - 1) % stride != 0) {
            out[0][j] = curve[0][len - 1];
            out[1][j] = curve[1][len - 1];
        }
        return out;
    }

    private static String oneLine(String s) {
        return s == null ? "unreadable" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
