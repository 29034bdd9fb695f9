package dev.robustsweep.reports.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsweep.reports.Report;
import dev.robustsweep.reports.ReportOptions;
import dev.robustsweep.reports.SyntheticRun;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in headless Chromium: loads without script errors, makes no network request, and every
 * figure renders (laid out by the browser, and visibly drawn in a screenshot).
 * Skips when no Chromium is installed, unless ROBUSTSWEEP_REQUIRE_CHROMIUM=1 (CI), where it fails.
 * Install: reports/ci-setup.sh (apt-get install -y chromium).
 */
class HtmlReportChromiumTest {
    private static final int WIDTH = 1400;

    @TempDir
    static Path tmp;
    static HeadlessChromium chromium;
    static Path page;

    @BeforeAll
    static void buildReport() throws Exception {
        var found = HeadlessChromium.find();
        if (found.isEmpty() && "1".equals(System.getenv("ROBUSTSWEEP_REQUIRE_CHROMIUM"))) {
            throw new AssertionError("ROBUSTSWEEP_REQUIRE_CHROMIUM=1 but no chromium found; run reports/ci-setup.sh");
        }
        Assumptions.assumeTrue(found.isPresent(),
                "SKIPPED: chromium not installed (apt-get install -y chromium, see reports/ci-setup.sh)");
        chromium = found.get();
        Path run = tmp.resolve("run");
        SyntheticRun.write(run, 225, 11); // 5 tasks x 5 methods x 9 grid points, one seed
        Report.generate(run, ReportOptions.builder().optOutDir(tmp.resolve("report")).build());
        page = tmp.resolve("report/report.html");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile("<body[^>]*\\s" + name + "=\"([^\"]*)\"").matcher(dom);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void loadsWithoutErrorsOrNetworkAndEveryFigureRenders() throws Exception {
        HeadlessChromium.Run run = chromium.load(page, tmp.resolve("chrome-dom"), WIDTH, 1000, null);
        String dom = run.stdout();
        assertEquals("done", attribute(dom, "data-render-check"), "the in-page check ran (no script error stopped it)");
        int total = Integer.parseInt(attribute(dom, "data-figures-total"));
        // issue 12: robustness with bootstrap error bars (one per metric), Figure 4 (accuracy and NLL, all tasks in
        // one figure each), critical-difference diagrams (across tasks per metric + within each of 5 tasks per metric)
        String html = Files.readString(page);
        assertEquals(2, count(html, "data-figure=\"interval\""));
        assertEquals(2, count(html, "data-figure=\"box-all-tasks\""));
        assertEquals(2 + 5 * 2, count(html, "data-figure=\"cd\""));
        assertTrue(html.contains("CD = "), "the critical difference is drawn");
        // 5 tasks x 2 metrics box plots + 25 heatmaps + 25 loss-curve panels, plus the 16 above
        assertEquals(10 + 25 + 25 + 16, total);
        assertEquals(String.valueOf(total), attribute(dom, "data-figures-rendered"), "bad: " + attribute(dom, "data-figures-bad"));
        assertEquals("", attribute(dom, "data-errors"), "script errors");
        assertEquals("", attribute(dom, "data-blocked"), "loads blocked by the Content-Security-Policy");
        assertEquals("0", attribute(dom, "data-resources"), "resources fetched by the page");
        assertEquals(List.of(), HeadlessChromium.pageRequests(run.netLog()), "URL requests made by the page");
        assertFalse(run.stderr().contains("Uncaught"), run.stderr());

        // screenshot of the whole page; every figure's box must hold a drawing
        int height = Integer.parseInt(attribute(dom, "data-page-height"));
        Path png = tmp.resolve("report.png");
        HeadlessChromium.Run shot = chromium.load(page, tmp.resolve("chrome-shot"), WIDTH, height, png);
        assertEquals(List.of(), HeadlessChromium.pageRequests(shot.netLog()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(WIDTH, image.getWidth());
        String[] boxes = attribute(dom, "data-figure-boxes").split(";");
        assertEquals(total, boxes.length);
        for (String box : boxes) {
            String[] b = box.split(",");
            int x = Integer.parseInt(b[0]);
            int y = Integer.parseInt(b[1]);
            int w = Integer.parseInt(b[2]);
            int h = Integer.parseInt(b[3]);
            assertTrue(y + h <= image.getHeight(), "figure " + box + " inside the screenshot of height " + image.getHeight());
            int inked = 0;
            java.util.Set<Integer> colours = new java.util.HashSet<>();
            for (int yy = y; yy < y + h; yy += 2) {
                for (int xx = x; xx < x + w; xx += 2) {
                    int rgb = image.getRGB(xx, yy) & 0xffffff;
                    colours.add(rgb);
                    if (rgb != 0xffffff) {
                        inked++;
                    }
                }
            }
            double share = inked / ((w / 2.0) * (h / 2.0));
            assertTrue(share > 0.01, "figure at " + box + " is blank (" + share + " inked)");
            assertTrue(colours.size() > 3, "figure at " + box + " has " + colours.size() + " colours");
        }
    }

    @Test
    void networkCheckCatchesARequestingPage() throws Exception {
        // the detector must be able to fail: a page without the CSP that loads an image over http
        String html = Files.readString(page).replaceFirst("<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "")
                .replace("</body>", "<img src=\"http://robustsweep-canary.invalid/pixel.png\"></body>");
        Path canary = tmp.resolve("canary.html");
        Files.writeString(canary, html);
        HeadlessChromium.Run run = chromium.load(canary, tmp.resolve("chrome-canary"), WIDTH, 1000, null);
        assertTrue(HeadlessChromium.pageRequests(run.netLog()).stream().anyMatch(u -> u.contains("robustsweep-canary")),
                "the net log shows the page's request");
        // with the CSP in place the same image is blocked and reported by the page itself
        String blocked = Files.readString(page).replace("<h1>", "<img src=\"http://robustsweep-canary.invalid/p.png\"><h1>");
        Path csp = tmp.resolve("csp.html");
        Files.writeString(csp, blocked);
        HeadlessChromium.Run run2 = chromium.load(csp, tmp.resolve("chrome-csp"), WIDTH, 1000, null);
        assertTrue(attribute(run2.stdout(), "data-blocked").contains("robustsweep-canary"), "CSP blocked and reported it");
        assertEquals(List.of(), HeadlessChromium.pageRequests(run2.netLog()));
    }
}
