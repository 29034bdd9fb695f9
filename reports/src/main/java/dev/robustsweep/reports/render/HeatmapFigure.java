package dev.robustsweep.reports.render;

/**
 * Learning-rate x batch-size heatmap of one method on one task: each cell is the median score
 * over the trials of that grid cell (seeds and other axes pooled). Colours run from light (worst)
 * to dark blue (best) on a scale shared by all methods of the task, so panels compare.
 */
final class HeatmapFigure {
    private static final int CELL_W = 64;
    private static final int CELL_H = 34;
    private static final int LEFT = 70;
    private static final int TOP = 44;

    private HeatmapFigure() {
    }

    /** cells[i][j] = median at learningRates[i], batchSizes[j]; NaN = no trial. */
    static String svg(String task, String method, String metric, double[] learningRates, double[] batchSizes,
                      double[][] cells, double lo, double hi, boolean higherIsBetter) {
        int w = LEFT + CELL_W * batchSizes.length + 12;
        int h = TOP + CELL_H * learningRates.length + 36;
        Svg s = new Svg(w, h, "Heatmap of median " + metric + " for " + method + " on " + task);
        s.text(w / 2.0, 16, method, "middle", 13, "font-weight=\"bold\"");
        s.text(w / 2.0, 32, "median " + metric + " (" + task + ")", "middle", 10, "fill=\"#555555\"");
        for (int i = 0; i < learningRates.length; i++) {
            s.text(LEFT - 6, TOP + CELL_H * i + CELL_H / 2.0 + 4, Numbers.label(learningRates[i]), "end", 10, null);
            for (int j = 0; j < batchSizes.length; j++) {
                double v = cells[i][j];
                double t = Double.isNaN(v) || hi <= lo ? 0.5 : (v - lo) / (hi - lo);
                if (!higherIsBetter) {
                    t = 1 - t; // dark = best for NLL too
                }
                String fill = Double.isNaN(v) ? "#f2f2f2" : colour(t);
                s.rect(LEFT + CELL_W * j, TOP + CELL_H * i, CELL_W - 2, CELL_H - 2, fill, null,
                        "lr " + Numbers.label(learningRates[i]) + ", batch " + Numbers.label(batchSizes[j]) + ": "
                                + (Double.isNaN(v) ? "no trial" : Numbers.label(v)));
                s.text(LEFT + CELL_W * j + CELL_W / 2.0 - 1, TOP + CELL_H * i + CELL_H / 2.0 + 4,
                        Double.isNaN(v) ? "" : Numbers.table(v), "middle", 10, t > 0.55 ? "fill=\"#ffffff\"" : null);
            }
        }
        for (int j = 0; j < batchSizes.length; j++) {
            s.text(LEFT + CELL_W * j + CELL_W / 2.0, TOP + CELL_H * learningRates.length + 14,
                    Numbers.label(batchSizes[j]), "middle", 10, null);
        }
        s.text(LEFT + CELL_W * batchSizes.length / 2.0, h - 6, "batch size", "middle", 10, null);
        s.text(12, TOP + CELL_H * learningRates.length / 2.0, "learning rate", "middle", 10,
                "transform=\"rotate(-90 12 " + Svg.f(TOP + CELL_H * learningRates.length / 2.0) + ")\"");
        return s.end();
    }

    /** Light yellow (t = 0) to dark blue (t = 1). */
    static String colour(double t) {
        t = Math.max(0, Math.min(1, t));
        int r = (int) Math.round(255 + (8 - 255) * t);
        int g = (int) Math.round(247 + (48 - 247) * t);
        int b = (int) Math.round(188 + (107 - 188) * t);
        return String.format("#%02x%02x%02x", r, g, b);
    }

}
