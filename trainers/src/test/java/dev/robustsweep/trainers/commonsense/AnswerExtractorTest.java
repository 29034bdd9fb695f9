package dev.robustsweep.trainers.commonsense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Answer extraction against the authors' own extract_answer, run on a table of sentences
 * (src/test/resources/commonsense/make_extraction_fixture.py: LLM-Adapters' and MonteCLoRA's
 * commonsense_evaluate.py), and the "### Response:" split against Python's split()[1].strip().
 */
class AnswerExtractorTest {
    static final Map<String, String> TASK_OF_DATASET = Map.of("boolq", "cs-boolq", "piqa", "cs-piqa", "social_i_qa", "cs-siqa",
            "ARC-Easy", "cs-arc-e", "ARC-Challenge", "cs-arc-c", "openbookqa", "cs-obqa", "hellaswag", "cs-hellaswag", "winogrande", "cs-winogrande");

    @Test
    void extractionMatchesBothAuthorsScripts() throws Exception {
        JsonNode f = PromptTemplateTest.fixture("answer_extraction.json");
        int n = 0;
        for (JsonNode c : f.get("extract")) {
            CommonsenseTask task = CommonsenseTask.BUILTIN.get(TASK_OF_DATASET.get(c.get("dataset").asText()));
            String sentence = c.get("sentence").asText();
            assertEquals(c.get("llm_adapters").asText(), AnswerExtractor.extract(task, sentence, "llm-adapters"), task.id() + " llm-adapters: " + sentence);
            assertEquals(c.get("monteclora").asText(), AnswerExtractor.extract(task, sentence, "monteclora"), task.id() + " monteclora: " + sentence);
            n++;
        }
        assertTrue(n >= 30, "table size " + n);
        assertEquals(TASK_OF_DATASET.size(), CommonsenseTask.BUILTIN.size(), "every built-in task is in the table");
    }

    @Test
    void responseIsTheTextAfterTheFirstMarker() throws Exception {
        for (JsonNode c : PromptTemplateTest.fixture("answer_extraction.json").get("response")) {
            assertEquals(c.get("response").asText(), AnswerExtractor.response(c.get("decoded").asText()), c.get("decoded").asText());
        }
    }
}
