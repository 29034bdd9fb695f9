package dev.robustsweep.trainers.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.data.Batcher;
import dev.robustsweep.trainers.data.TaskData;
import dev.robustsweep.trainers.data.TaskLoader;
import dev.robustsweep.trainers.data.TextEncoder;
import dev.robustsweep.trainers.data.TokenizedExample;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.EncoderConfig;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.runtime.PeakMemory;
import dev.robustsweep.trainers.train.Evaluator;
import dev.robustsweep.trainers.train.Trainer;
import dev.robustsweep.trainers.train.TrainingListener;
import dev.robustsweep.trainers.trial.TaskSpec;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.EmbeddedMiniLm;
import dev.robustsweep.trainers.weights.ModelFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training throughput on minilm-l6, MRPC, batch 32, every sequence padded to length 128 (so each
 * step multiplies the model's projection shapes [4096 x 384]), side by side with the engine's fp32
 * matrix-multiply rate measured in the same run. Methods are interleaved round by round, so machine
 * noise hits all of them alike; the median step time of each is reported.
 *
 * <p>Run: {@code bash benchmarks/run.sh training [methods...] [--rounds N] [--memory] [--profile DIR]};
 * {@code --profile DIR} writes one step per method under libtorch's profiler (chrome trace DIR/METHOD.json);
 * {@code --torch} then runs the same step in PyTorch eager (benchmarks/torch_training.py: the Hugging Face +
 * PEFT step in plain torch, same checkpoint and shapes, same thread count) and sets the two side by side.
 */
public final class TrainingBenchmark {
    public static void main(String[] args) throws Exception {
        List<String> methods = new ArrayList<>();
        int rounds = 6;
        boolean memory = false;
        Path profileDir = null;
        boolean torch = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds")) rounds = Integer.parseInt(args[++i]);
            else if (args[i].equals("--profile")) profileDir = Path.of(args[++i]);
            else if (args[i].equals("--torch")) torch = true;
            else if (args[i].equals("--memory")) memory = true;
            else if (args[i].equals("--probe")) {
                probe(args[++i]);
                return;
            } else methods.add(args[i]);
        }
        if (methods.isEmpty()) methods = List.of("full_ft", "lora");
        // JVM start to main, from the JVM's own clock (the launcher script's build time is not included)
        double jvmToMain = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        long t0 = System.nanoTime();
        Engine engine = EngineSetup.start(0);
        double engineStart = (System.nanoTime() - t0) / 1e9;
        System.out.printf("engine %s %s, intra-op threads %d, JVM start to main %.2f s, engine start %.2f s%n",
                engine.getEngineName(), engine.getVersion(), JniUtils.getNumThreads(), jvmToMain, engineStart);

        long t1 = System.nanoTime();
        ModelFolder folder = ModelFolder.load(EmbeddedMiniLm.folder());
        double modelLoad = (System.nanoTime() - t1) / 1e9;
        long t2 = System.nanoTime();
        TaskSpec spec = new TaskSpec();
        spec.name = "mrpc";
        TaskData task = TaskLoader.load(spec, Path.of(System.getProperty("robustsweep.home", "."), "data"));
        List<TokenizedExample> examples;
        try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), 128)) {
            examples = text.encodeAll(task.train().subList(0, 32 * 8));
        }
        double dataLoad = (System.nanoTime() - t2) / 1e9;
        System.out.printf("fixed cost: model load %.2f s, data load + tokenization (256 examples) %.2f s%n", modelLoad, dataLoad);
        // pad every example to 128 tokens with [PAD] ids but keep them masked: Batcher pads to the batch max,
        // so add one full-length example per batch to make every batch exactly [32, 128]
        EncoderConfig config = folder.config();

        try (NDManager manager = engine.newBaseManager()) {
            double gemm1024 = matmulRate(manager, 1024, 1024, 1024);
            double[] proj = {
                matmulRate(manager, 4096, 384, 384), matmulRate(manager, 4096, 384, 1536), matmulRate(manager, 4096, 1536, 384)
            };
            double projRate = harmonicMean(proj);
            System.out.printf("matmul fp32: 1024^3 %.1f GFLOP/s; projection shapes [4096x384]x[384x384] %.1f, x[384x1536] %.1f, [4096x1536]x[1536x384] %.1f; combined %.1f GFLOP/s%n",
                    gemm1024, proj[0], proj[1], proj[2], projRate);

            List<List<TokenizedExample>> batches = new ArrayList<>();
            for (int b = 0; b < 8; b++) batches.add(padTo128(examples.subList(b * 32, b * 32 + 32)));
            long nonEmbedding = nonEmbeddingParameters(config);
            // FLOPs of a full fine-tuning step: 6 x non-embedding params x tokens + attention (fwd 4 T^2 h per layer per sequence, x3 with backward)
            double tokens = 32 * 128;
            double attention = 3 * 4.0 * 128 * 128 * config.hiddenSize * config.numHiddenLayers * 32;
            double fullFlops = 6 * nonEmbedding * tokens + attention;

            List<Runner> runners = new ArrayList<>();
            for (String m : methods) runners.add(new Runner(m, folder, manager, batches));
            for (Runner r : runners) r.warmUp();
            if (profileDir != null) {
                java.nio.file.Files.createDirectories(profileDir);
                for (Runner r : runners) {
                    JniUtils.startProfile(false, false, false);
                    r.step();
                    JniUtils.stopProfile(profileDir.resolve(r.method + ".json").toString());
                }
            }
            for (int round = 0; round < rounds; round++) {
                for (Runner r : runners) r.timeSteps(4);
                for (Runner r : runners) r.timeEval(3);
            }
            double loraMedian = runners.stream().filter(r -> r.method.equals("lora")).mapToDouble(Runner::median).findFirst().orElse(Double.NaN);
            double fullMedian = runners.stream().filter(r -> r.method.equals("full_ft")).mapToDouble(Runner::median).findFirst().orElse(Double.NaN);
            System.out.println();
            double loraEval = runners.stream().filter(r -> r.method.equals("lora")).mapToDouble(Runner::evalMedian).findFirst().orElse(Double.NaN);
            System.out.println("method      step_s(median)  tokens/s   vs_lora  vs_full_ft  GFLOP/s(6N+attn)  of_matmul_rate  eval_s  eval_vs_lora");
            for (Runner r : runners) {
                double s = r.median();
                double rate = fullFlops / s / 1e9;
                System.out.printf("%-11s %14.3f %9.0f %8.2f %10.2f %17.1f %14.2f %7.3f %13.3f%n", r.method, s, tokens / s,
                        s / loraMedian, s / fullMedian, rate, rate / projRate, r.evalMedian(), r.evalMedian() / loraEval);
            }
            if (torch) torchReference(rounds, runners, projRate, fullFlops);
            if (memory) memoryTable(methods);
            System.out.printf("peak RSS %.2f GiB%n", PeakMemory.peakRssBytes() / (double) (1L << 30));
        }
    }

    /**
     * The same training step in PyTorch eager (benchmarks/torch_training.py), full_ft and LoRA interleaved
     * as here, beside this run's figures: each engine's step time against its own matmul rate, and LoRA / full_ft.
     */
    private static void torchReference(int rounds, List<Runner> runners, double projRate, double fullFlops) throws Exception {
        Path script = Path.of(System.getProperty("robustsweep.home", "."), "benchmarks", "torch_training.py");
        String python = java.util.stream.Stream.of("/usr/bin/python3", "python3").filter(TrainingBenchmark::importsTorch).findFirst()
                .orElseThrow(() -> new IllegalStateException("--torch: no python3 that imports torch (bash .ci/torch-setup.sh installs Debian's)"));
        Process p = new ProcessBuilder(python, script.toString(), EmbeddedMiniLm.folder().toString(), String.valueOf(rounds),
                String.valueOf(JniUtils.getNumThreads())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(script + " failed:\n" + out);
        java.util.Map<String, Double> torchSteps = new java.util.HashMap<>();
        double torchRate = Double.NaN;
        String header = "";
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ");
            if (line.startsWith("torch ")) header = line;
            else if (f[0].equals("matmul_rate_gflops")) torchRate = Double.parseDouble(f[1]);
            else if (f[0].equals("step_s")) torchSteps.put(f[1], Double.parseDouble(f[2]));
        }
        double full = runners.stream().filter(r -> r.method.equals("full_ft")).mapToDouble(Runner::median).findFirst().orElse(Double.NaN);
        double lora = runners.stream().filter(r -> r.method.equals("lora")).mapToDouble(Runner::median).findFirst().orElse(Double.NaN);
        double tFull = torchSteps.getOrDefault("full_ft", Double.NaN);
        double tLora = torchSteps.getOrDefault("lora", Double.NaN);
        System.out.println();
        System.out.println("PyTorch eager reference, same checkpoint, shapes and thread count (" + header + "):");
        System.out.println("engine       matmul_GFLOP/s  full_ft_s  full_ft_of_matmul_rate  lora_s  lora_vs_full_ft");
        System.out.printf("%-12s %14.1f %10.3f %23.2f %7.3f %16.2f%n", "RobustSweep", projRate, full, fullFlops / full / 1e9 / projRate, lora, lora / full);
        System.out.printf("%-12s %14.1f %10.3f %23.2f %7.3f %16.2f%n", "PyTorch", torchRate, tFull, fullFlops / tFull / 1e9 / torchRate, tLora, tLora / tFull);
    }

    private static boolean importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Peak memory of each method in its own JVM (one process per method, so one method's peak does not
     * hide another's): resident memory growth from just before the model is built to the peak after
     * training steps, relative to LoRA's.
     */
    private static void memoryTable(List<String> methods) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        java.util.Map<String, Long> growth = new java.util.LinkedHashMap<>();
        for (String m : methods) {
            Process p = new ProcessBuilder(javaBin, "-Xmx6g", "-Dai.djl.offline=true",
                    "-Drobustsweep.home=" + System.getProperty("robustsweep.home", "."),
                    "-cp", System.getProperty("java.class.path"), TrainingBenchmark.class.getName(), "--probe", m)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            String line = out.lines().filter(l -> l.startsWith("probe ")).findFirst().orElseThrow(() -> new IllegalStateException("probe " + m + " failed:\n" + out));
            growth.put(m, Long.parseLong(line.split(" ")[2]));
        }
        long lora = growth.getOrDefault("lora", Long.MAX_VALUE);
        System.out.println();
        System.out.println("method      peak_memory_growth_MiB  vs_lora");
        growth.forEach((m, g) -> System.out.printf("%-11s %22.0f %8.2f%n", m, g / 1048576.0, (double) g / lora));
    }

    /** Child process of memoryTable: build one method, train a few steps, print "probe METHOD BYTES". */
    private static void probe(String method) throws Exception {
        Engine engine = EngineSetup.start(0);
        ModelFolder folder = ModelFolder.load(EmbeddedMiniLm.folder());
        TaskSpec spec = new TaskSpec();
        spec.name = "mrpc";
        List<TokenizedExample> examples;
        try (TextEncoder text = new TextEncoder(folder.tokenizerJson(), 128)) {
            examples = text.encodeAll(TaskLoader.load(spec, Path.of(System.getProperty("robustsweep.home", "."), "data")).train().subList(0, 64));
        }
        List<List<TokenizedExample>> batches = List.of(padTo128(examples.subList(0, 32)), padTo128(examples.subList(32, 64)));
        System.gc();
        long before = PeakMemory.rssBytes();
        try (NDManager manager = engine.newBaseManager()) {
            Runner r = new Runner(method, folder, manager, batches);
            r.timeSteps(4);
        }
        System.out.println("probe " + method + " " + (PeakMemory.peakRssBytes() - before));
    }

    /** Appends one 128-token example so dynamic padding makes the whole batch [32, 128]. */
    private static List<TokenizedExample> padTo128(List<TokenizedExample> batch) {
        List<TokenizedExample> out = new ArrayList<>(batch);
        TokenizedExample longest = out.remove(out.size() - 1);
        long[] ids = Arrays.copyOf(longest.ids(), 128);
        long[] types = Arrays.copyOf(longest.typeIds(), 128);
        for (int i = longest.ids().length; i < 128; i++) ids[i] = 1996; // "the": a real token, not padding
        out.add(new TokenizedExample(ids, types, longest.label()));
        return out;
    }

    static long nonEmbeddingParameters(EncoderConfig c) {
        long h = c.hiddenSize;
        long perLayer = 4 * (h * h + h) + 2 * (h * c.intermediateSize) + c.intermediateSize + h + 4 * h;
        return perLayer * c.numHiddenLayers;
    }

    static double matmulRate(NDManager manager, int m, int k, int n) {
        NDArray a = manager.randomNormal(new Shape(m, k));
        NDArray b = manager.randomNormal(new Shape(k, n));
        for (int i = 0; i < 3; i++) a.matMul(b).close();
        int reps = Math.max(5, (int) (4e10 / (2.0 * m * k * n)));
        double best = Double.MAX_VALUE;
        for (int trial = 0; trial < 3; trial++) {
            long t = System.nanoTime();
            for (int i = 0; i < reps; i++) a.matMul(b).close();
            best = Math.min(best, (System.nanoTime() - t) / 1e9 / reps);
        }
        a.close();
        b.close();
        return 2.0 * m * k * n / best / 1e9;
    }

    private static double harmonicMean(double[] rates) {
        double s = 0;
        for (double r : rates) s += 1 / r;
        return rates.length / s;
    }

    /** One method's model, trainer and timings. */
    private static final class Runner {
        final String method;
        final List<List<TokenizedExample>> batches;
        final Trainer trainer;
        final NDManager manager;
        final SequenceClassifier model;
        final Batcher batcher;
        final List<Double> times = new ArrayList<>();
        int next;

        Runner(String method, ModelFolder folder, NDManager parent, List<List<TokenizedExample>> batches) {
            this.method = method;
            this.batches = batches;
            this.manager = parent.newSubManager();
            TrialConfig trial = new TrialConfig();
            trial.trialId = "bench-" + method;
            trial.method = method;
            trial.learningRate = method.equals("full_ft") ? 2e-5 : 5e-4;
            trial.batchSize = 32;
            trial.maxSeqLength = 128;
            model = new ClassifierBuilder(folder, manager).optNumLabels(2).optSeed(1).build();
            AdaptationMethod m = Methods.create(trial, manager, 1000);
            m.apply(model);
            batcher = new Batcher(folder.config());
            trainer = new Trainer(trial, model, m, batcher, new Evaluator(batcher, 64, 2), manager, new TrainingListener() {});
            trainer.prepare(1000);
        }

        final List<Double> evalTimes = new ArrayList<>();

        void warmUp() {
            for (int i = 0; i < 2; i++) step();
            evaluate();
        }

        void timeEval(int n) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                evaluate();
                evalTimes.add((System.nanoTime() - t) / 1e9);
            }
        }

        /** One evaluation batch as the Evaluator runs it (adapters folded into weight copies first). */
        private void evaluate() {
            try (NDScope ignored = new NDScope()) {
                model.beginEvaluation();
                model.forward(batcher.input(batches.get(0), manager), ForwardContext.EVAL).toFloatArray();
            } finally {
                model.endEvaluation();
            }
        }

        void timeSteps(int n) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                step();
                times.add((System.nanoTime() - t) / 1e9);
            }
        }

        void step() {
            trainer.step(batches.get(next++ % batches.size()));
        }

        double median() {
            return Runner.median(times);
        }

        double evalMedian() {
            return Runner.median(evalTimes);
        }

        static double median(List<Double> times) {
            double[] s = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
    }
}
