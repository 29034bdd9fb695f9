package dev.robustsweep.engine;

import dev.robustsweep.trainers.weights.TinyModelFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Test material: a small sentence-pair task in the MRPC layout, and the trainer's tiny model folder. */
public final class Fixtures {
    private static final String[] WORDS = {"the", "cat", "sat", "on", "mat", "a", "dog", "ran", "to", "park", "bird", "sang", "loud", "quiet", "house"};

    private Fixtures() {}

    /** data/glue/MRPC/{train,dev}.tsv with {@code train} and {@code dev} rows, seeded. */
    public static Path mrpcLikeData(Path root, int train, int dev) throws IOException {
        Path dir = root.resolve("glue/MRPC");
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(7);
        for (String[] split : new String[][] {{"train.tsv", "" + train}, {"dev.tsv", "" + dev}}) {
            StringBuilder sb = new StringBuilder("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n");
            for (int i = 0; i < Integer.parseInt(split[1]); i++) {
                String a = sentence(rng);
                String b = rng.nextBoolean() ? a : sentence(rng);
                sb.append(a.equals(b) ? 1 : 0).append('\t').append(i).append('\t').append(i + 1000).append('\t').append(a).append('\t').append(b).append('\n');
            }
            Files.writeString(dir.resolve(split[0]), sb, StandardCharsets.UTF_8);
        }
        return root;
    }

    private static String sentence(SplittableRandom rng) {
        StringBuilder sb = new StringBuilder();
        int n = 4 + rng.nextInt(5);
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : " ").append(WORDS[rng.nextInt(WORDS.length)]);
        return sb.toString();
    }

    public static Path tinyModel(Path dir) throws IOException {
        return TinyModelFolder.write(dir, "bert", 1);
    }

    /** A grid over the tiny model and the MRPC-like data; {@code body} is appended (methods, grid, ...). */
    public static Path grid(Path dir, String name, Path model, Path data, String body) throws IOException {
        String text = "name: " + name + "\nmodel: " + model + "\ndata_dir: " + data + "\ntasks: [mrpc]\n" + body;
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, text);
        return f;
    }
}
