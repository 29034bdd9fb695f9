package dev.robustsweep.reports.io;

import dev.robustsweep.reports.ReportInputException;
import dev.robustsweep.reports.ScoreTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Reads a tidy CSV of scores brought from elsewhere into the tidy {@link ScoreTable}.
 *
 * <p>Columns: task, method (required); optional majority_accuracy and prior_nll (the dev set's
 * no-skill reference, drawn as reference lines); metric columns (accuracy, nll, f1, mcc, and any asked for);
 * optional status (completed | diverged | failed) and trial_id; a config id column ("config" or
 * "config_id") or else every remaining column is a hyperparameter (learning_rate, batch_size, seed, ...)
 * and together they identify the grid point used for pairing. Empty, NA and NaN cells are missing scores.
 */
public final class TidyCsvReader {
    /** Scores recognised without being asked for (docs/schemas.md "metrics"). */
    public static final Set<String> KNOWN_METRICS = Set.of("accuracy", "nll", "f1", "mcc", "ece", "brier");

    private TidyCsvReader() {
    }

    /** Refuses a file that is not UTF-8 text (a UTF-16 or Latin-1 export, a binary file) instead of reading mangled names. */
    private static void notUtf8(Path csv) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(csv);
        } catch (java.io.IOException e) {
            throw new ReportInputException(csv, "cannot read the file: " + e.getMessage(), e);
        }
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        boolean nul = false;
        for (byte b : bytes) nul |= b == 0;
        if (nul || decoder.decode(in, java.nio.CharBuffer.allocate(bytes.length + 1), true).isError()) {
            int line = 1;
            for (int i = 0; i < (nul ? bytes.length : in.position()); i++) {
                if (bytes[i] == 0) break;
                if (bytes[i] == '\n') line++;
            }
            throw new ReportInputException(csv, "line " + line + ": not UTF-8 text" + (nul ? " (binary data or UTF-16)" : "")
                    + "; expected a UTF-8 CSV file");
        }
    }

    /**
     * @param csv            the file
     * @param requiredMetrics metrics the user asked for explicitly: each must be a column
     */
    public static ScoreTable read(Path csv, List<String> requiredMetrics) {
        if (!Files.isReadable(csv)) {
            throw new ReportInputException(csv, "cannot read the file");
        }
        notUtf8(csv);
        Table raw;
        try {
            // every column as text: numbers are parsed below so that errors can name line and column
            raw = Table.read().csv(CsvReadOptions.builder(csv.toFile()).header(true)
                    .columnTypes(name -> ColumnType.STRING).missingValueIndicator("").build());
        } catch (RuntimeException e) {
            throw new ReportInputException(csv, "not a readable CSV: " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        for (String c : raw.columnNames()) {
            names.add(c.trim().toLowerCase(Locale.ROOT));
        }
        for (String required : List.of(ScoreTable.TASK, ScoreTable.METHOD)) {
            if (!names.contains(required)) {
                throw new ReportInputException(csv, "line 1: missing column '" + required + "' (found: "
                        + String.join(", ", names) + ")");
            }
        }
        for (String m : requiredMetrics) {
            if (!names.contains(m)) {
                throw new ReportInputException(csv, "line 1: missing metric column '" + m + "' (found: "
                        + String.join(", ", names) + ")");
            }
        }
        List<String> metrics = new ArrayList<>();
        List<String> grid = new ArrayList<>();
        List<String> baselines = new ArrayList<>();
        String configColumn = null;
        for (String c : names) {
            if (KNOWN_METRICS.contains(c) || requiredMetrics.contains(c)) {
                metrics.add(c);
            } else if (c.equals("config") || c.equals("config_id")) {
                configColumn = c;
            } else if (ScoreTable.BASELINE_COLUMNS.contains(c)) {
                baselines.add(c); // the dev set's no-skill reference, not a score nor a hyperparameter
            } else if (!c.equals(ScoreTable.TASK) && !c.equals(ScoreTable.METHOD) && !c.equals(ScoreTable.STATUS)
                    && !c.equals(ScoreTable.TRIAL_ID)) {
                grid.add(c);
            }
        }
        if (metrics.isEmpty()) {
            throw new ReportInputException(csv, "line 1: no metric column (expected one of accuracy, nll, f1, mcc; found: "
                    + String.join(", ", names) + ")");
        }
        int n = raw.rowCount();
        if (n == 0) {
            throw new ReportInputException(csv, "no data rows, only a header (expected one row per trial: task, method, hyperparameters, metrics)");
        }
        String[] task = text(raw, names, ScoreTable.TASK, csv, true);
        String[] method = text(raw, names, ScoreTable.METHOD, csv, true);
        String[] status = names.contains(ScoreTable.STATUS) ? text(raw, names, ScoreTable.STATUS, csv, false) : null;
        String[] trialId = names.contains(ScoreTable.TRIAL_ID) ? text(raw, names, ScoreTable.TRIAL_ID, csv, false) : new String[n];
        double[][] metricValues = new double[metrics.size()][];
        for (int m = 0; m < metrics.size(); m++) {
            metricValues[m] = numbers(raw, names, metrics.get(m), csv);
        }
        String[] config = new String[n];
        double[][] gridValues = new double[grid.size()][n];
        String[][] gridText = new String[grid.size()][];
        for (int g = 0; g < grid.size(); g++) {
            gridText[g] = text(raw, names, grid.get(g), csv, false);
            for (int i = 0; i < n; i++) {
                gridValues[g][i] = parseOrNaN(gridText[g][i]);
            }
        }
        String[] configText = configColumn == null ? null : text(raw, names, configColumn, csv, false);
        for (int i = 0; i < n; i++) {
            if (configText != null) {
                config[i] = configText[i];
            } else {
                StringBuilder key = new StringBuilder();
                for (int g = 0; g < grid.size(); g++) {
                    key.append(g == 0 ? "" : ",").append(grid.get(g)).append('=').append(gridText[g][i]);
                }
                config[i] = key.toString();
            }
            if (trialId[i] == null || trialId[i].isEmpty()) {
                trialId[i] = "row" + (i + 2);
            }
        }
        if (status == null) {
            status = new String[n];
            for (int i = 0; i < n; i++) {
                boolean anyScore = false;
                for (double[] col : metricValues) {
                    anyScore |= !Double.isNaN(col[i]);
                }
                status[i] = anyScore ? "completed" : "failed";
            }
        } else {
            for (int i = 0; i < n; i++) {
                if (!Set.of("completed", "diverged", "failed").contains(status[i])) {
                    throw new ReportInputException(csv, "line " + (i + 2) + ", column " + (names.indexOf(ScoreTable.STATUS) + 1)
                            + " (status): expected completed, diverged or failed, found '" + status[i] + "'");
                }
                if (status[i].equals("failed")) {
                    for (double[] col : metricValues) {
                        col[i] = Double.NaN; // failed trials have no score
                    }
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
            table.addColumns(DoubleColumn.create(b, numbers(raw, names, b, csv)));
        }
        return new ScoreTable(table, metrics, List.of(), 0, List.of(), grid);
    }

    private static String[] text(Table raw, List<String> names, String column, Path csv, boolean required) {
        int index = names.indexOf(column);
        StringColumn c = raw.stringColumn(index);
        String[] out = new String[c.size()];
        for (int i = 0; i < out.length; i++) {
            String v = c.get(i).trim();
            if (required && v.isEmpty()) {
                throw new ReportInputException(csv, "line " + (i + 2) + ", column " + (index + 1) + " (" + column
                        + "): expected a value, found an empty cell");
            }
            out[i] = v;
        }
        return out;
    }

    private static double[] numbers(Table raw, List<String> names, String column, Path csv) {
        int index = names.indexOf(column);
        StringColumn c = raw.stringColumn(index);
        double[] out = new double[c.size()];
        for (int i = 0; i < out.length; i++) {
            String v = c.get(i).trim();
            if (v.isEmpty() || v.equalsIgnoreCase("na") || v.equalsIgnoreCase("nan") || v.equalsIgnoreCase("null")) {
                out[i] = Double.NaN;
                continue;
            }
            try {
                out[i] = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new ReportInputException(csv, "line " + (i + 2) + ", column " + (index + 1) + " (" + column
                        + "): expected a number, found '" + v + "'");
            }
            if (Double.isInfinite(out[i])) {
                out[i] = Double.NaN; // an infinite NLL is no usable score
            }
        }
        return out;
    }

    private static double parseOrNaN(String v) {
        try {
            return v == null || v.isEmpty() ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
