package dev.robustsweep.trainers.adapters.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.robustsweep.trainers.adapters.AdaptationMethod;
import dev.robustsweep.trainers.adapters.Methods;
import dev.robustsweep.trainers.model.ClassifierBuilder;
import dev.robustsweep.trainers.model.EncoderInput;
import dev.robustsweep.trainers.model.ForwardContext;
import dev.robustsweep.trainers.model.Parameter;
import dev.robustsweep.trainers.model.SequenceClassifier;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.trial.TrialConfig;
import dev.robustsweep.trainers.weights.EmbeddedMiniLm;
import dev.robustsweep.trainers.weights.ModelFolder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Training-step, evaluation and peak-memory cost of every adapter method relative to LoRA on
 * minilm-l6 (batch 32, length 128, QKV, r 8, N 4). Not part of the unit test run (the class name does
 * not match surefire's patterns). Run:
 * <pre>
 *   mvn -B -o -q -pl trainers test -Dtest=AdapterStepBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dbench.rounds=6 -DtrimStackTrace=false
 * </pre>
 * Step and evaluation times are measured side by side in one JVM, round-robin (every round times one
 * step of each method in a rotated order), and compared by their medians. Peak memory: each method
 * runs a few steps in its own child JVM and reports its peak resident set (VmHWM) minus the resident
 * set after building the model; the table prints it relative to LoRA's. The training step is the
 * trainer's contract with a minimal AdamW (extra losses inside the gradient collector, update,
 * afterOptimizerStep, zero gradients).
 */
public class AdapterStepBenchmark {
    static final String[] METHODS = {"lora", "dora", "adalora", "monteclora"};
    static final int BATCH = 32;
    static final int LENGTH = 128;

    static TrialConfig trial(String method) {
        TrialConfig t = new TrialConfig();
        t.trialId = "bench-" + method;
        t.method = method;
        t.lora.r = 8;
        t.lora.loraAlpha = 16;
        t.adalora.initR = 12;
        t.adalora.targetR = 8;
        t.monteclora.mixtures = 4;
        return t;
    }

    /** One method's model, method and AdamW state. */
    static final class Run {
        final String name;
        final SequenceClassifier model;
        final AdaptationMethod method;
        final List<Parameter> trainable = new ArrayList<>();
        final Map<Parameter, NDArray[]> moments = new LinkedHashMap<>();
        int step;

        Run(String name, ModelFolder folder, NDManager manager, int totalSteps) {
            this.name = name;
            TrialConfig t = trial(name);
            model = new ClassifierBuilder(folder, manager).optSeed(t.seed).build();
            method = Methods.create(t, manager, totalSteps);
            method.apply(model);
            for (Parameter p : model.allParameters()) {
                if (!p.trainable()) continue;
                trainable.add(p);
                moments.put(p, new NDArray[] {manager.zeros(p.array().getShape()), manager.zeros(p.array().getShape())});
            }
        }

        void trainStep(EncoderInput in, NDArray oneHot, int totalSteps) {
            step++;
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray logits = model.forward(in, ForwardContext.TRAIN);
                    NDArray loss = logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
                    for (NDArray extra : method.extraLosses().values()) loss = loss.add(extra);
                    gc.backward(loss);
                }
                float lr = 1e-4f;
                float b1 = 0.9f;
                float b2 = 0.999f;
                float c1 = (float) (1 - Math.pow(b1, step));
                float c2 = (float) (1 - Math.pow(b2, step));
                for (Parameter p : trainable) {
                    NDArray g = p.array().getGradient();
                    NDArray[] mv = moments.get(p);
                    mv[0].muli(b1).addi(g.mul(1 - b1));
                    mv[1].muli(b2).addi(g.square().muli(1 - b2));
                    p.array().subi(mv[0].div(c1).divi(mv[1].div(c2).sqrt().addi(1e-8f)).muli(lr));
                    g.close();
                }
                method.afterOptimizerStep(step, totalSteps);
                for (Parameter p : trainable) JniUtils.zeroGrad((PtNDArray) p.array());
            }
        }

        void evalStep(EncoderInput in) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                model.forward(in, ForwardContext.EVAL).toFloatArray();
            }
        }
    }

    static EncoderInput batch(NDManager manager) {
        SplittableRandom rng = new SplittableRandom(1);
        long[] ids = new long[BATCH * LENGTH];
        long[] types = new long[BATCH * LENGTH];
        long[] positions = new long[BATCH * LENGTH];
        float[] mask = new float[BATCH * LENGTH];
        for (int i = 0; i < BATCH; i++) {
            for (int j = 0; j < LENGTH; j++) {
                int k = i * LENGTH + j;
                ids[k] = j == 0 ? 101 : j == LENGTH - 1 ? 102 : 1000 + rng.nextInt(20000);
                types[k] = j < LENGTH / 2 ? 0 : 1;
                positions[k] = j;
                mask[k] = 1f;
            }
        }
        Shape s = new Shape(BATCH, LENGTH);
        return new EncoderInput(manager.create(ids, s), manager.create(types, s), manager.create(positions, s), manager.create(mask, s));
    }

    static NDArray oneHot(NDManager manager) {
        long[] y = new long[BATCH];
        for (int i = 0; i < BATCH; i++) y[i] = i % 2;
        return manager.create(y).oneHot(2);
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    @Test
    void stepTimeMemoryAndEvaluationRelativeToLora() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 6);
        int warmup = 2;
        Engine engine = EngineSetup.start(Integer.getInteger("bench.threads", 0));
        EngineSetup.seed(engine, 1);
        ModelFolder folder = ModelFolder.load(EmbeddedMiniLm.folder());
        Map<String, Double> peak = new LinkedHashMap<>();
        if (!Boolean.getBoolean("bench.skipMemory")) for (String m : METHODS) peak.put(m, childPeakMemory(m));
        try (NDManager manager = engine.newBaseManager()) {
            EncoderInput in = batch(manager);
            NDArray y = oneHot(manager);
            int total = warmup + rounds;
            List<Run> runs = new ArrayList<>();
            for (String m : METHODS) runs.add(new Run(m, folder, manager, total));
            Map<String, List<Double>> train = new LinkedHashMap<>();
            Map<String, List<Double>> eval = new LinkedHashMap<>();
            Map<String, List<Double>> trainCpu = new LinkedHashMap<>();
            Map<String, List<Double>> evalCpu = new LinkedHashMap<>();
            for (Run r : runs) {
                train.put(r.name, new ArrayList<>());
                eval.put(r.name, new ArrayList<>());
                trainCpu.put(r.name, new ArrayList<>());
                evalCpu.put(r.name, new ArrayList<>());
            }
            com.sun.management.OperatingSystemMXBean cpu =
                    (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            for (int round = 0; round < total; round++) {
                for (int i = 0; i < runs.size(); i++) {
                    Run r = runs.get((i + round) % runs.size());
                    long c0 = cpu.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    r.trainStep(in, y, total);
                    long t1 = System.nanoTime();
                    long c1 = cpu.getProcessCpuTime();
                    r.evalStep(in);
                    long t2 = System.nanoTime();
                    long c2 = cpu.getProcessCpuTime();
                    if (round >= warmup) {
                        train.get(r.name).add((t1 - t0) / 1e6);
                        eval.get(r.name).add((t2 - t1) / 1e6);
                        trainCpu.get(r.name).add((c1 - c0) / 1e6);
                        evalCpu.get(r.name).add((c2 - c1) / 1e6);
                    }
                }
            }
            double loraTrain = median(train.get("lora"));
            double loraEval = median(eval.get("lora"));
            double loraTrainCpu = median(trainCpu.get("lora"));
            double loraEvalCpu = median(evalCpu.get("lora"));
            StringBuilder out = new StringBuilder();
            out.append(String.format("minilm-l6, batch %d, length %d, QKV, r 8, N 4, %d rounds (+%d warm-up), threads %s%n",
                    BATCH, LENGTH, rounds, warmup, Integer.getInteger("bench.threads", 0)));
            out.append("medians; wall = elapsed time, cpu = process CPU time (robust to other load on a shared machine)\n");
            out.append(String.format("%-11s %10s %7s %10s %7s %10s %7s %10s %7s %10s %7s%n", "method", "step wall", "x LoRA", "step cpu", "x LoRA",
                    "eval wall", "x LoRA", "eval cpu", "x LoRA", "peak MiB", "x LoRA"));
            for (Run r : runs) {
                double t = median(train.get(r.name));
                double tc = median(trainCpu.get(r.name));
                double e = median(eval.get(r.name));
                double ec = median(evalCpu.get(r.name));
                Double mem = peak.get(r.name);
                out.append(String.format("%-11s %10.1f %7.3f %10.1f %7.3f %10.1f %7.3f %10.1f %7.3f %10s %7s%n", r.name, t, t / loraTrain, tc, tc / loraTrainCpu,
                        e, e / loraEval, ec, ec / loraEvalCpu,
                        mem == null ? "-" : String.format("%.1f", mem), mem == null ? "-" : String.format("%.3f", mem / peak.get("lora"))));
            }
            out.append("raw step wall ms: ").append(train).append('\n');
            out.append("raw step cpu ms: ").append(trainCpu).append('\n');
            out.append("raw eval wall ms: ").append(eval).append('\n');
            out.append("raw eval cpu ms: ").append(evalCpu).append('\n');
            System.out.print(out);
            Path report = Path.of("target", "adapter-benchmark.txt");
            Files.createDirectories(report.getParent());
            Files.writeString(report, out.toString());
        }
    }

    /** Runs {@link MemoryProbe} for one method in a child JVM and returns its peak RSS growth in MiB. */
    static double childPeakMemory(String method) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx2g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                MemoryProbe.class.getName(), method, String.valueOf(Integer.getInteger("bench.threads", 0))));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            for (String line; (line = r.readLine()) != null; ) if (line.startsWith("PEAK ")) last = line;
        }
        if (p.waitFor() != 0 || last == null) throw new IllegalStateException("memory probe for " + method + " failed");
        return Double.parseDouble(last.substring(5));
    }

    /** Child process: build, 3 training steps, print the peak RSS growth (VmHWM - RSS after building) in MiB. */
    public static final class MemoryProbe {
        public static void main(String[] args) throws Exception {
            Engine engine = EngineSetup.start(Integer.parseInt(args[1]));
            EngineSetup.seed(engine, 1);
            ModelFolder folder = ModelFolder.load(EmbeddedMiniLm.folder());
            try (NDManager manager = engine.newBaseManager()) {
                EncoderInput in = batch(manager);
                NDArray y = oneHot(manager);
                Run run = new Run(args[0], folder, manager, 3);
                System.gc();
                double base = status("VmRSS");
                resetPeak();
                for (int i = 0; i < 3; i++) run.trainStep(in, y, 3);
                System.out.println("PEAK " + (status("VmHWM") - base) / 1024.0);
            }
        }

        static double status(String key) throws Exception {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key + ":")) return Double.parseDouble(line.replaceAll("[^0-9]", ""));
            }
            throw new IllegalStateException(key);
        }

        /** Resets VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs). */
        static void resetPeak() {
            try {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            } catch (Exception ignored) {
                // older kernels: the peak then includes model loading, the same for every method
            }
        }
    }
}
