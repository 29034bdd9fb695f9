package dev.robustsweep.trainers.commonsense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The templates against strings produced by the authors' own code (fixtures made by
 * src/test/resources/commonsense/make_prompt_fixture.py, which executes LLM-Adapters' generate_prompt
 * functions and formats alpaca-lora's templates/alpaca.json).
 */
class PromptTemplateTest {
    static JsonNode fixture(String name) throws Exception {
        try (InputStream in = PromptTemplateTest.class.getResourceAsStream("/commonsense/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    static InstructionRecord record(JsonNode c) {
        JsonNode r = c.get("record");
        return new InstructionRecord("t", r.get("instruction").asText(), r.get("input").asText(), r.get("output").asText(), r.get("answer").asText());
    }

    @Test
    void llmAdaptersTemplateIsTheAuthorsStringsByteForByte() throws Exception {
        PromptTemplate t = PromptTemplate.named("llm-adapters");
        JsonNode cases = fixture("llm_adapters_prompts.json");
        assertEquals(2, cases.size());
        for (JsonNode c : cases) {
            InstructionRecord r = record(c);
            assertEquals(c.get("training").asText(), t.training(r), "finetune.py generate_prompt");
            assertEquals(c.get("user").asText(), t.user(r), "finetune.py generate_prompt with output \"\"");
            // commonsense_evaluate.py calls generate_prompt(instruction): the input never reaches the prompt
            assertEquals(c.get("evaluation").asText(), t.evaluation(r), "commonsense_evaluate.py generate_prompt(instruction)");
            assertEquals(c.get("evaluation_with_input").asText(), LlmAdaptersTemplate.evaluatePrompt(r.instruction(), r.input()));
        }
    }

    @Test
    void alpacaTemplateIsAlpacaLorasTemplate() throws Exception {
        PromptTemplate t = PromptTemplate.named("alpaca");
        for (JsonNode c : fixture("alpaca_prompts.json")) {
            InstructionRecord r = record(c);
            assertEquals(c.get("prompt").asText(), t.evaluation(r));
            assertEquals(c.get("prompt").asText(), t.user(r));
            assertEquals(c.get("prompt").asText() + r.output(), t.training(r));
        }
    }

    @Test
    void unknownTemplateNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PromptTemplate.named("vicuna"));
        assertEquals("prompt_template: expected one of [llm-adapters, alpaca], got 'vicuna'", e.getMessage());
    }
}
