package dev.robustsweep.reports.render;

import java.util.Locale;

/**
 * Minimal hand-written SVG builder: plain elements with explicit coordinates, no scripts, no
 * external references, so that the figures render offline in any browser.
 */
final class Svg {
    /** Colour per method, in the order methods appear (colour-blind friendly, Okabe-Ito). */
    static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"};

    private final StringBuilder sb = new StringBuilder();

    Svg(int width, int height, String label) {
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\">")
                .append("<rect x=\"0\" y=\"0\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" fill=\"#ffffff\"/>");
    }

    Svg rect(double x, double y, double w, double h, String fill, String stroke, String title) {
        sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(Math.max(w, 0)))
                .append("\" height=\"").append(f(Math.max(h, 0))).append("\" fill=\"").append(fill).append('"');
        if (stroke != null) {
            sb.append(" stroke=\"").append(stroke).append('"');
        }
        if (title != null) {
            sb.append("><title>").append(escape(title)).append("</title></rect>");
        } else {
            sb.append("/>");
        }
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String stroke, double width) {
        sb.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2))
                .append("\" y2=\"").append(f(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(f(width)).append("\"/>");
        return this;
    }

    Svg circle(double cx, double cy, double r, String fill) {
        sb.append("<circle cx=\"").append(f(cx)).append("\" cy=\"").append(f(cy)).append("\" r=\"").append(f(r))
                .append("\" fill=\"").append(fill).append("\" fill-opacity=\"0.7\"/>");
        return this;
    }

    Svg text(double x, double y, String text, String anchor, int size, String extra) {
        sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" font-size=\"").append(size)
                .append("\" text-anchor=\"").append(anchor).append("\" font-family=\"sans-serif\"");
        if (extra != null) {
            sb.append(' ').append(extra);
        }
        sb.append('>').append(escape(text)).append("</text>");
        return this;
    }

    Svg polyline(StringBuilder points, String stroke, double width, boolean dashed, String title) {
        sb.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(f(width))
                .append("\" stroke-opacity=\"0.8\"").append(dashed ? " stroke-dasharray=\"4 3\"" : "")
                .append(" points=\"").append(points).append("\"><title>").append(escape(title)).append("</title></polyline>");
        return this;
    }

    /** Closes the element. */
    String end() {
        return sb.append("</svg>").toString();
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** About five round tick values covering [lo, hi]. */
    static double[] ticks(double lo, double hi) {
        if (!(hi > lo)) {
            return new double[] {lo};
        }
        double raw = (hi - lo) / 5;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3 ? 2 * mag : raw / mag < 7 ? 5 * mag : 10 * mag;
        double first = Math.ceil(lo / step) * step;
        int count = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] t = new double[Math.max(count, 1)];
        for (int i = 0; i < t.length; i++) {
            t[i] = first + i * step;
        }
        return t;
    }
}
