package dev.robustsweep.trainers.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsweep.trainers.model.decoder.CausalLm;
import dev.robustsweep.trainers.model.decoder.CausalLmBuilder;
import dev.robustsweep.trainers.model.decoder.DecoderTokenizer;
import dev.robustsweep.trainers.model.decoder.GenerationSettings;
import dev.robustsweep.trainers.model.decoder.Generator;
import dev.robustsweep.trainers.runtime.EngineSetup;
import dev.robustsweep.trainers.weights.DecoderFolder;
import dev.robustsweep.trainers.weights.ModelLoadException;
import dev.robustsweep.trainers.weights.TinyLlama;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code robustsweep model generate --model M --prompt TEXT}: a decoder's continuation of a prompt. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a continuation of a prompt with a decoder (greedy by default; KV cache).")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = TinyLlama.ID,
            description = "A decoder folder (llama, mistral, qwen2) or tiny-llama, a random demo model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--prompt", required = true, description = "The prompt text (the tokenizer adds its BOS).")
    String prompt;

    @Option(names = "--max-new-tokens", defaultValue = "32", description = "At most this many new tokens (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--num-beams", defaultValue = "1", description = "1 = greedy; more = beam search (default: ${DEFAULT-VALUE}).")
    int numBeams;

    @Option(names = "--no-cache", description = "Recompute the whole sequence every step instead of reading the KV cache.")
    boolean noCache;

    @Option(names = "--json", description = "Print {prompt_ids, new_ids, text} as JSON instead of the text.")
    boolean asJson;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String me = "robustsweep model generate";
        if (maxNewTokens < 1) {
            System.err.println(me + ": --max-new-tokens: must be >= 1, got " + maxNewTokens);
            return 2;
        }
        if (numBeams < 1) {
            System.err.println(me + ": --num-beams: must be >= 1, got " + numBeams);
            return 2;
        }
        DecoderFolder folder;
        try {
            folder = DecoderFolder.load(TinyLlama.resolve(model));
        } catch (ModelLoadException e) {
            System.err.println(me + ": " + e.getMessage());
            return 2;
        }
        if (TinyLlama.ID.equals(model)) {
            System.err.println(me + ": note: tiny-llama is a random, untrained demo model; its output is noise");
        }
        Engine engine = EngineSetup.start(0);
        try (NDManager manager = engine.newBaseManager();
             DecoderTokenizer tokenizer = new DecoderTokenizer(folder.tokenizerJson())) {
            CausalLm lm = new CausalLmBuilder(folder, manager).build();
            long[] ids = tokenizer.encode(prompt);
            if (ids.length == 0) {
                System.err.println(me + ": --prompt: the prompt has no tokens");
                return 2;
            }
            GenerationSettings s = GenerationSettings.defaults(folder.config())
                    .withMaxNewTokens(maxNewTokens).withBeams(numBeams).withCache(!noCache);
            long[] generated = new Generator(lm, manager).generate(List.of(ids), s).get(0);
            String text = tokenizer.decode(generated, true);
            if (asJson) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("prompt_ids", ids);
                o.put("new_ids", generated);
                o.put("text", text);
                spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(o));
            } else {
                spec.commandLine().getOut().println(text);
            }
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
