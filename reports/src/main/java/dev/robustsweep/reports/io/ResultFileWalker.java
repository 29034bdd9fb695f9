package dev.robustsweep.reports.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Finds and reads every result.json under a folder, at any depth, in parallel: one fork-join task per
 * directory, each reading and parsing the result files it finds. The file system, not the CPU, bounds a report over
 * many trials, so the pool has more threads than cores to keep several reads in flight.
 */
final class ResultFileWalker {
    /** Threads reading files; I/O-bound, so more than the cores. */
    static final int IO_THREADS = Math.max(8, 4 * Runtime.getRuntime().availableProcessors());

    /** One file's outcome: the parsed result, or the problem reading or parsing it. */
    record Found(Path file, String name, TrialResult result, String problem) {
        Found(Path file, TrialResult result, String problem) {
            this(file, file.toString(), result, problem); // name: a cheap sort key
        }
    }

    private ResultFileWalker() {
    }

    /** Every result file under root (not below skipUnder), read; order unspecified. */
    static List<Found> readAll(Path root, String fileName, Path skipUnder) {
        ConcurrentLinkedQueue<Found> found = new ConcurrentLinkedQueue<>();
        ForkJoinPool pool = new ForkJoinPool(IO_THREADS);
        try {
            pool.invoke(new Visit(root, fileName, skipUnder, found));
        } finally {
            pool.shutdown();
        }
        return new ArrayList<>(found);
    }

    private static final class Visit extends RecursiveAction {
        private final Path dir;
        private final String fileName;
        private final Path skipUnder;
        private final ConcurrentLinkedQueue<Found> found;

        Visit(Path dir, String fileName, Path skipUnder, ConcurrentLinkedQueue<Found> found) {
            this.dir = dir;
            this.fileName = fileName;
            this.skipUnder = skipUnder;
            this.found = found;
        }

        @Override
        protected void compute() {
            List<Visit> children = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                for (Path entry : entries) {
                    if (entry.getFileName().toString().equals(fileName)) {
                        read(entry); // a result file: no stat needed, just read it
                    } else if ((skipUnder == null || !entry.startsWith(skipUnder))
                            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                        children.add(new Visit(entry, fileName, skipUnder, found));
                    }
                }
            } catch (IOException e) {
                found.add(new Found(dir, null, "cannot list folder: " + e.getMessage()));
            }
            invokeAll(children);
        }

        private void read(Path file) {
            try {
                byte[] bytes = Files.readAllBytes(file);
                try {
                    found.add(new Found(file, ResultJsonParser.parse(bytes, false), null)); // parse here: bytes die young; curves are read later for the few that are drawn
                } catch (IOException | RuntimeException e) {
                    found.add(new Found(file, null, "corrupt: " + e.getMessage()));
                }
            } catch (IOException e) {
                found.add(new Found(file, null, "cannot read: " + e.getMessage()));
            }
        }
    }
}
