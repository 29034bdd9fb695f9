package dev.robustsweep.trainers.trial;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A JSON binding problem in the user's terms: the key path as written in the file
 * ({@code task.text_fields[1]}), what was expected (an object, a list, an integer) and what was
 * found, never a Java class name.
 */
public final class JsonProblem {
    private JsonProblem() {}

    /** "KEY: problem" (or just the problem at the top level). */
    public static String describe(JsonProcessingException e) {
        String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
        String where = path.isEmpty() ? "" : path + ": ";
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList()).stream().toList();
            String closest = closest(u.getPropertyName(), known);
            return "unknown key '" + path + "'" + (closest != null ? " (did you mean '" + closest + "'?)"
                    : known.isEmpty() || known.size() > 12 ? " (keys: docs/schemas.md)" : ", expected one of " + known);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + "expected " + expected(m.getTargetType()) + found(m);
        }
        String msg = e.getOriginalMessage() == null ? "malformed JSON" : e.getOriginalMessage();
        // Jackson names Java types in backquotes: drop them
        msg = msg.replaceAll("`[\\w.$]+\\.([\\w$]+)`", "$1").lines().findFirst().orElse("");
        return where + msg;
    }

    /** The known key nearest to {@code key} by edit distance (at most 3 edits), or null. */
    static String closest(String key, List<String> known) {
        String best = null;
        int bestDistance = 4;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            else if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
        }
        return sb.toString();
    }

    static String expected(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) return "a string";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class || type == short.class) return "an integer";
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (Collection.class.isAssignableFrom(type) || type.isArray()) return "a list";
        if (Map.class.isAssignableFrom(type)) return "a mapping of keys to values";
        return "an object with keys";
    }

    private static String found(MismatchedInputException m) {
        if (!(m.getProcessor() instanceof JsonParser p)) return "";
        JsonToken t = p.currentToken();
        if (t == null) return "";
        return ", found " + switch (t) {
            case START_ARRAY, END_ARRAY -> "a list";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name().toLowerCase() : t.asString();
        };
    }
}
