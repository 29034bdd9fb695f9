package dev.robustsweep.reports.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Debian "chromium" package headless on a local file, with a fresh profile, every background
 * service that can be switched off switched off, all host names resolving to nothing, and a net log.
 * Test helper for the offline-report checks.
 */
final class HeadlessChromium {
    /** Flags required by the brief plus those that quiet the browser's own background traffic. */
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", "--disable-domain-reliability", "--no-pings",
            "--disable-client-side-phishing-detection", "--metrics-recording-only", "--disable-breakpad",
            "--hide-scrollbars", "--force-device-scale-factor=1",
            "--host-resolver-rules=MAP * ~NOTFOUND", // a request that slipped through could not leave the machine
            "--virtual-time-budget=3000");

    private final Path executable;

    private HeadlessChromium(Path executable) {
        this.executable = executable;
    }

    /** The browser named by $CHROMIUM, else chromium / chromium-browser / google-chrome on the PATH. */
    static Optional<HeadlessChromium> find() {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("CHROMIUM") != null) {
            candidates.add(System.getenv("CHROMIUM"));
        }
        candidates.addAll(List.of("chromium", "chromium-browser", "google-chrome"));
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String c : candidates) {
            if (c.contains("/") && Files.isExecutable(Path.of(c))) {
                return Optional.of(new HeadlessChromium(Path.of(c)));
            }
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir, c);
                if (Files.isExecutable(p)) {
                    return Optional.of(new HeadlessChromium(p));
                }
            }
        }
        return Optional.empty();
    }

    /** What one browser run produced. */
    record Run(String stdout, String stderr, Path netLog) {
    }

    /** Loads the page with --dump-dom (or --screenshot=PNG when screenshot is not null). */
    Run load(Path page, Path work, int width, int height, Path screenshot) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path profile = Files.createTempDirectory(work, "profile");
        Path netLog = work.resolve("net-" + System.nanoTime() + ".json");
        List<String> cmd = new ArrayList<>();
        cmd.add(executable.toString());
        cmd.addAll(FLAGS);
        cmd.add("--user-data-dir=" + profile);
        cmd.add("--log-net-log=" + netLog);
        cmd.add("--window-size=" + width + "," + height);
        cmd.add(screenshot == null ? "--dump-dom" : "--screenshot=" + screenshot);
        cmd.add(page.toUri().toString());
        Path out = work.resolve("stdout-" + System.nanoTime() + ".txt");
        Path err = work.resolve("stderr-" + System.nanoTime() + ".txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish within 90 s: " + String.join(" ", cmd));
        }
        return new Run(Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), netLog);
    }

    /**
     * URL requests the page made, from the net log: every URL_REQUEST_START_JOB whose initiator is an origin
     * (a page's; file:// pages have the opaque origin "null"). The browser's own service requests carry
     * "not an origin" and are listed by {@link #browserRequests(Path)} instead.
     */
    static List<String> pageRequests(Path netLog) throws IOException {
        return requests(netLog, true);
    }

    /** Requests the browser made on its own behalf (update checks and the like), not the page's. */
    static List<String> browserRequests(Path netLog) throws IOException {
        return requests(netLog, false);
    }

    private static List<String> requests(Path netLog, boolean page) throws IOException {
        String text = Files.readString(netLog, StandardCharsets.UTF_8).trim();
        if (!text.endsWith("}")) {
            // a net log cut short by exit lacks its closing brackets
            text = text.replaceAll(",\\s*$", "") + "]}";
        }
        JsonNode root = new ObjectMapper().readTree(text);
        Map<Integer, String> types = new HashMap<>();
        root.get("constants").get("logEventTypes").fields().forEachRemaining(e -> types.put(e.getValue().asInt(), e.getKey()));
        List<String> urls = new ArrayList<>();
        for (JsonNode e : root.get("events")) {
            if ("URL_REQUEST_START_JOB".equals(types.get(e.get("type").asInt())) && e.has("params")
                    && e.get("params").has("url")) {
                String initiator = e.get("params").path("initiator").asText("");
                boolean fromPage = !initiator.equals("not an origin");
                if (fromPage == page) {
                    urls.add(e.get("params").get("url").asText());
                }
            }
        }
        return urls;
    }
}
