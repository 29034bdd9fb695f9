package dev.robustsweep.trainers.commonsense;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * commonsense_evaluate.py's scoring of one generation: the decoded sequence (prompt and new tokens,
 * special tokens skipped) is split at "### Response:", the part after the first one (up to a second
 * one) is stripped, and the task's pattern's first match is the prediction; no match predicts "",
 * which is wrong. Two flavours differ on BoolQ only:
 * <ul>
 *   <li>{@code monteclora} (default; the MonteCLoRA authors' script, method-spec.md section 8):
 *       \b(true|false|yes|no)\b, case-insensitive, yes -> true, no -> false;</li>
 *   <li>{@code llm-adapters} (the original LLM-Adapters script): true|false, case-sensitive.</li>
 * </ul>
 */
public final class AnswerExtractor {
    public static final Set<String> FLAVOURS = Set.of("monteclora", "llm-adapters");
    private static final Pattern BOOLQ_MONTECLORA = Pattern.compile("\\b(true|false|yes|no)\\b", Pattern.CASE_INSENSITIVE);
    private static final String RESPONSE = "### Response:";

    private AnswerExtractor() {}

    /** o.split("### Response:")[1].strip(): the text between the first and a possible second marker. */
    public static String response(String decoded) {
        int start = decoded.indexOf(RESPONSE);
        if (start < 0) return decoded.strip(); // not in the authors' prompts; kept whole
        String rest = decoded.substring(start + RESPONSE.length());
        int end = rest.indexOf(RESPONSE);
        return (end < 0 ? rest : rest.substring(0, end)).strip();
    }

    /** The predicted answer of a response for a task, or "" when nothing matches. */
    public static String extract(CommonsenseTask task, String response, String flavour) {
        String sentence = response.strip();
        if (task.id().equals("cs-boolq") && "monteclora".equals(flavour)) {
            Matcher m = BOOLQ_MONTECLORA.matcher(sentence);
            if (!m.find()) return "";
            String answer = m.group(1).toLowerCase(Locale.ROOT);
            return answer.equals("yes") || answer.equals("true") ? "true" : "false";
        }
        Matcher m = task.pattern().matcher(sentence);
        return m.find() ? m.group() : "";
    }
}
