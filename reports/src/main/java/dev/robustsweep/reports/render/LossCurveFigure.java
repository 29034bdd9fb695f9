package dev.robustsweep.reports.render;

import dev.robustsweep.reports.LossCurve;
import java.util.List;

/**
 * Training-loss curves of the trials of one method on one task (paper Figure 10): loss against
 * step, one line per trial; diverged trials dashed. Non-finite losses break the line.
 */
final class LossCurveFigure {
    private static final int W = 420;
    private static final int H = 260;
    private static final int LEFT = 52;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;

    private LossCurveFigure() {
    }

    static String svg(String task, String method, List<LossCurve> curves, String colour) {
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        for (LossCurve c : curves) {
            for (int i = 0; i < c.steps().length; i++) {
                if (Double.isFinite(c.steps()[i]) && Double.isFinite(c.losses()[i])) {
                    xLo = Math.min(xLo, c.steps()[i]);
                    xHi = Math.max(xHi, c.steps()[i]);
                    yLo = Math.min(yLo, c.losses()[i]);
                    yHi = Math.max(yHi, c.losses()[i]);
                }
            }
        }
        if (xLo == Double.POSITIVE_INFINITY) {
            xLo = 0;
            xHi = 1;
            yLo = 0;
            yHi = 1;
        }
        if (xHi <= xLo) {
            xHi = xLo + 1;
        }
        if (yHi <= yLo) {
            yHi = yLo + 1;
        }
        double x0 = xLo;
        double x1 = xHi;
        double y0 = yLo;
        double y1 = yHi;
        java.util.function.DoubleUnaryOperator px = v -> LEFT + (W - LEFT - RIGHT) * (v - x0) / (x1 - x0);
        java.util.function.DoubleUnaryOperator py = v -> TOP + (H - TOP - BOTTOM) * (1 - (v - y0) / (y1 - y0));
        Svg s = new Svg(W, H, "Training loss of " + method + " on " + task);
        s.text(W / 2.0, 18, task + ": " + method + " training loss (" + curves.size() + " trials)", "middle", 12,
                "font-weight=\"bold\"");
        for (double t : Svg.ticks(yLo, yHi)) {
            s.line(LEFT, py.applyAsDouble(t), W - RIGHT, py.applyAsDouble(t), "#e5e5e5", 1);
            s.text(LEFT - 6, py.applyAsDouble(t) + 4, Numbers.label(t), "end", 10, null);
        }
        for (double t : Svg.ticks(xLo, xHi)) {
            s.text(px.applyAsDouble(t), H - BOTTOM + 14, Numbers.label(t), "middle", 10, null);
        }
        s.text(LEFT + (W - LEFT - RIGHT) / 2.0, H - 6, "step", "middle", 10, null);
        s.line(LEFT, TOP, LEFT, H - BOTTOM, "#333333", 1).line(LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "#333333", 1);
        for (LossCurve c : curves) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < c.steps().length; i++) {
                if (!Double.isFinite(c.steps()[i]) || !Double.isFinite(c.losses()[i])) {
                    if (points.length() > 0) {
                        s.polyline(points, colour, 1.2, c.status().equals("diverged"), c.trialId());
                        points = new StringBuilder();
                    }
                    continue;
                }
                points.append(Svg.f(px.applyAsDouble(c.steps()[i]))).append(',')
                        .append(Svg.f(py.applyAsDouble(c.losses()[i]))).append(' ');
            }
            if (points.length() > 0) {
                s.polyline(points, c.status().equals("diverged") ? "#D55E00" : colour, 1.2,
                        c.status().equals("diverged"), c.trialId() + " (" + c.status() + ")");
            }
        }
        return s.end();
    }
}
