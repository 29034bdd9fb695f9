package dev.robustsweep.trainers.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.CausalLmBuilder;
import dev.robustsweep.trainers.model.decoder.DecoderConfig;
import dev.robustsweep.trainers.model.decoder.GenerationSettings;
import dev.robustsweep.trainers.model.decoder.Generator;
import dev.robustsweep.trainers.model.decoder.MemoryEstimate;
import dev.robustsweep.trainers.model.decoder.TokenNll;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.runtime.PeakMemory;
import dev.robustsweep.trainers.train.AdamW;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.TinyDecoderFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decoder throughput on a SmolLM-135M-shaped RANDOM model (30 layers, hidden 576, 9 heads / 3 KV
 * heads, FFN 1536, vocab 49152, tied head), CPU: training steps (forward, backward, AdamW) per
 * method, interleaved round by round so machine noise hits all alike (median step time), next to the
 * engine's fp32 matmul rate measured in the same run; then greedy generation of 32 new tokens after
 * a 200-token prompt with and without the KV cache. Prints the load average before and after.
 *
 * <p>Run: {@code bash benchmarks/run.sh decoder [methods...] [--rounds N] [--batch B] [--seq T] [--threads N (default 1)] [--no-generation]}
 * A method written {@code lora+bf16} runs with bf16 autocast (trial {@code bf16: true}) beside the float32 runs.
 */
public final class DecoderBenchmark {
    static final TinyDecoderFolder.Spec SMOLLM_135M =
            new TinyDecoderFolder.Spec("llama", 49152, 576, 30, 9, 3, 1536, true, false, null, 0.02, "F32", 1);
    static final List<String> MODULES = List.of("q_proj", "k_proj", "v_proj", "up_proj", "down_proj");

    public static void main(String[] args) throws Exception {
        List<String> methods = new ArrayList<>();
        int rounds = 2;
        int batch = 4;
        int seq = 128;
        int threads = 1;
        boolean generation = true;
        Path profileDir = null; // --profile DIR: one step per method under libtorch's profiler (chrome trace DIR/METHOD.json)
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--seq" -> seq = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--no-generation" -> generation = false;
                case "--profile" -> profileDir = Path.of(args[++i]);
                default -> methods.add(args[i]);
            }
        }
        if (methods.isEmpty()) methods = List.of("full_ft", "lora", "monteclora");
        System.out.println("load average at start: " + Files.readString(Path.of("/proc/loadavg")).trim()
                + " (" + Runtime.getRuntime().availableProcessors() + " cores)");
        // one intra-op thread by default: on a shared, oversubscribed machine libtorch's thread pool
        // thrashes (measured: a [32 x 576] x [576 x 576] linear 30 x slower with 2 threads at load 15 on 2 cores)
        Engine engine = EngineSetup.start(threads);
        System.out.printf("engine %s %s, intra-op threads %d%n", engine.getEngineName(), engine.getVersion(), JniUtils.getNumThreads());
        Path dir = Files.createTempDirectory("smollm135m-random");
        long t0 = System.nanoTime();
        TinyDecoderFolder.write(dir, SMOLLM_135M, 7);
        DecoderFolder folder = DecoderFolder.load(dir);
        DecoderConfig config = folder.config();
        long params = MemoryEstimate.baseParameters(config);
        System.out.printf("SmolLM-135M-shaped random decoder: %,d parameters, folder written and read in %.1f s%n",
                params, (System.nanoTime() - t0) / 1e9);

        try (NDManager manager = engine.newBaseManager()) {
            int tokens = batch * seq;
            double[] rates = {
                TrainingBenchmark.matmulRate(manager, tokens, 576, 576), TrainingBenchmark.matmulRate(manager, tokens, 576, 1536),
                TrainingBenchmark.matmulRate(manager, tokens, 1536, 576), TrainingBenchmark.matmulRate(manager, tokens, 576, 49152 / 8)
            };
            double matmul = 0;
            for (double r : rates) matmul += 1 / r;
            matmul = rates.length / matmul;
            System.out.printf("matmul fp32 at this model's shapes ([%d x 576]x[576x576], x[576x1536], [%d x 1536]x[1536x576], x[576x6144]):"
                    + " %.1f %.1f %.1f %.1f GFLOP/s, harmonic mean %.1f GFLOP/s%n", tokens, tokens, rates[0], rates[1], rates[2], rates[3], matmul);
            // FLOPs: forward 2 N per token (N = every matmul weight, the tied head included), backward 4 N for full
            // fine-tuning (activation and weight gradients), 2 N for adapter methods (activation gradients only);
            // attention scores and context: 4 T d_model per token per layer forward, x3 with backward
            long matmulWeights = params - config.hiddenSize * (2L * config.numHiddenLayers + 1); // minus norms; the tied matrix counted once, as the head
            double attention = 3 * 4.0 * seq * config.hiddenSize * config.numHiddenLayers * tokens;
            double fullFlops = 6.0 * matmulWeights * tokens + attention;
            double adapterFlops = 4.0 * matmulWeights * tokens + attention;

            SplittableRandom rng = new SplittableRandom(3);
            long[][] ids = new long[batch][seq];
            for (long[] row : ids) for (int j = 0; j < seq; j++) row[j] = 3 + rng.nextInt(config.vocabSize - 3);
            List<Runner> runners = new ArrayList<>();
            for (String m : methods) runners.add(new Runner(m, folder, manager, ids));
            for (Runner r : runners) r.step(); // warm-up
            if (profileDir != null) {
                Files.createDirectories(profileDir);
                for (Runner r : runners) {
                    JniUtils.startProfile(false, false, false);
                    r.step();
                    JniUtils.stopProfile(profileDir.resolve(r.method + ".json").toString());
                }
            }
            for (int round = 0; round < rounds; round++) for (Runner r : runners) r.timeSteps(2);
            double lora = runners.stream().filter(r -> r.method.equals("lora")).mapToDouble(Runner::median).findFirst().orElse(Double.NaN);
            double full = runners.stream().filter(r -> r.method.equals("full_ft")).mapToDouble(Runner::median).findFirst().orElse(Double.NaN);
            System.out.printf("%ntraining, batch %d x seq %d = %d tokens per step, AdamW, median of %d steps%n", batch, seq, tokens, 2 * rounds);
            System.out.println("method      step_s   tokens/s  vs_lora  vs_full_ft  GFLOP/s  of_matmul_rate (FLOPs counted: full 6N, adapters 4N, + attention)");
            for (Runner r : runners) {
                double s = r.median();
                double flops = r.method.startsWith("full_ft") ? fullFlops : adapterFlops;
                System.out.printf("%-11s %6.2f %10.0f %8.2f %11.2f %8.1f %15.2f%n", r.method, s, tokens / s, s / lora, s / full,
                        flops / s / 1e9, flops / s / 1e9 / matmul);
            }
            for (Runner r : runners) r.close();
            if (generation) {
                // generation: 32 new tokens after a 200-token prompt, greedy, with and without the KV cache
                CausalLm lm = new CausalLmBuilder(folder, manager).build();
                Generator gen = new Generator(lm, manager);
                long[] prompt = new long[200];
                for (int j = 0; j < prompt.length; j++) prompt[j] = 3 + rng.nextInt(config.vocabSize - 3);
                GenerationSettings s = new GenerationSettings(32, 1, List.of(), 0, 1.0, true);
                gen.generate(List.of(prompt), s.withMaxNewTokens(2)); // warm-up
                int reps = 2;
                double[] cached = new double[reps];
                double[] uncached = new double[reps];
                long[] a = null;
                long[] b = null;
                for (int rep = 0; rep < reps; rep++) {
                    long t = System.nanoTime();
                    a = gen.generate(List.of(prompt), s).get(0);
                    cached[rep] = (System.nanoTime() - t) / 1e9;
                    t = System.nanoTime();
                    b = gen.generate(List.of(prompt), s.withCache(false)).get(0);
                    uncached[rep] = (System.nanoTime() - t) / 1e9;
                }
                java.util.Arrays.sort(cached);
                java.util.Arrays.sort(uncached);
                System.out.printf("%ngeneration, 200-token prompt, 32 new tokens, greedy, best of %d (interleaved):%n", reps);
                System.out.printf("  with KV cache    %.2f s  %.1f new tokens/s%n", cached[0], 32 / cached[0]);
                System.out.printf("  without cache    %.2f s  %.1f new tokens/s%n", uncached[0], 32 / uncached[0]);
                System.out.printf("  cache speed-up   %.1f x; same tokens: %b%n", uncached[0] / cached[0], java.util.Arrays.equals(a, b));
            }
        }
        System.out.printf("peak RSS %.2f GiB%n", PeakMemory.peakRssBytes() / (double) (1L << 30));
        System.out.println("load average at end: " + Files.readString(Path.of("/proc/loadavg")).trim());
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** One method's model, optimizer and step timings. */
    private static final class Runner {
        final String method;
        final NDManager manager;
        final CausalLm lm;
        final AdaptationMethod adaptation;
        final AdamW optimizer;
        final NDArray ids;
        final NDArray mask;
        final NDArray labels;
        final ForwardContext ctx;
        final List<Double> times = new ArrayList<>();

        Runner(String method, DecoderFolder folder, NDManager parent, long[][] batch) {
            this.method = method;
            this.manager = parent.newSubManager();
            lm = new CausalLmBuilder(folder, manager).build();
            TrialConfig trial = new TrialConfig();
            trial.method = method.replace("+bf16", "");
            trial.bf16 = method.endsWith("+bf16");
            ctx = new ForwardContext(true, trial.bf16);
            trial.seed = 1;
            trial.lora.r = 32;
            trial.lora.loraAlpha = 64;
            trial.lora.targetModules = MODULES;
            adaptation = Methods.create(trial, manager, 1000);
            adaptation.apply(lm);
            List<Parameter> trainable = lm.allParameters().stream().filter(Parameter::trainable).toList();
            optimizer = new AdamW(trainable, 0.9, 0.999, 1e-8, 0.0, manager);
            ids = manager.create(batch);
            mask = manager.ones(ids.getShape());
            labels = ids.duplicate();
        }

        void timeSteps(int n) {
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                step();
                times.add((System.nanoTime() - t) / 1e9);
            }
        }

        /** Forward, LM loss plus the method's extra terms, backward, AdamW. */
        void step() {
            try (NDScope ignored = new NDScope()) {
                try (GradientCollector gc = manager.getEngine().newGradientCollector()) {
                    lm.trainingStep(ids, mask, logits -> {
                        NDArray loss = TokenNll.mean(logits, labels);
                        for (Map.Entry<String, NDArray> e : adaptation.extraLosses().entrySet()) loss = loss.add(e.getValue());
                        return loss;
                    }, gc, ctx).getFloat();
                }
                optimizer.step(1e-4, 1.0);
                adaptation.afterOptimizerStep(1, 1000);
                optimizer.zeroGradients();
            }
        }

        double median() {
            double[] s = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }

        void close() {
            manager.close();
        }
    }
}
