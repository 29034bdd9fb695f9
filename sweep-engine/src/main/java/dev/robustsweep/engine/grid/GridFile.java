package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A grid file (YAML, or JSON for *.json) read into a Jackson tree that remembers where every key
 * and value came from, so that later checks can name file, line, column and key.
 *
 * <p>Keys are addressed by dotted paths with list indices: {@code grid.learning_rate[1]}.
 * String values may refer to environment variables: {@code ${ROBERTA_BASE}} or
 * {@code ${ROBERTA_BASE:-/models/roberta-base}} (default after ":-"); a value that is empty after
 * substitution ({@code ${MAX_TRAIN:-}}) is null, i.e. the key's default.
 */
public final class GridFile {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    /** Numbers YAML 1.1 leaves as strings (no dot before the exponent, e.g. 3e-4). */
    private static final Pattern EXPONENT_NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)[eE][-+]?\\d+");
    private static final Pattern PLAIN_NUMBER = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");

    private final Path file;
    private final byte[] bytes;
    private final JsonNode root;
    private final Map<String, GridLocation> valueLocations;
    private final Map<String, GridLocation> keyLocations;

    private GridFile(Path file, byte[] bytes, JsonNode root, Map<String, GridLocation> values, Map<String, GridLocation> keys) {
        this.file = file;
        this.bytes = bytes;
        this.root = root;
        this.valueLocations = values;
        this.keyLocations = keys;
    }

    /** Reads a grid file with the process environment; throws {@link GridException} on unreadable or malformed text. */
    public static GridFile read(Path file) {
        return read(file, System.getenv());
    }

    public static GridFile read(Path file, Map<String, String> env) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new GridException(List.of(new GridError(file, GridLocation.UNKNOWN, null, "grid file not found")));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new GridException(List.of(new GridError(file, GridLocation.UNKNOWN, null, "permission denied")));
        } catch (IOException e) {
            throw new GridException(List.of(new GridError(file, GridLocation.UNKNOWN, null, "cannot read: " + e.getMessage())));
        }
        return parse(file, bytes, env);
    }

    /** Parses grid text; {@code file} is only used in messages and to resolve relative paths. */
    public static GridFile parse(Path file, byte[] bytes, Map<String, String> env) {
        boolean json = file.getFileName().toString().toLowerCase().endsWith(".json");
        dev.robustsweep.trainers.data.Utf8Text.Problem encoding = dev.robustsweep.trainers.data.Utf8Text.problem(bytes);
        if (encoding != null) throw new GridException(List.of(new GridError(file, new GridLocation(encoding.line(), 1), null, encoding.message())));
        JsonFactory factory = json ? new JsonFactory() : new YAMLFactory();
        Builder b = new Builder(file, env);
        JsonNode root;
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new GridException(List.of(new GridError(file, GridLocation.UNKNOWN, null, "the file is empty; expected a mapping with name, tasks, methods, grid")));
            }
            root = b.value(p, "");
            if (p.nextToken() != null) {
                b.errors.add(new GridError(file, loc(p.currentTokenLocation()), null, "unexpected content after the grid (a second YAML document?)"));
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            // SnakeYAML's message: what it was parsing, then what it expected and found, with quoted source lines between
            String msg = String.join("; ", e.getOriginalMessage().lines()
                    .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("^"))
                    .map(String::strip).toList());
            throw new GridException(List.of(new GridError(file, l == null ? GridLocation.UNKNOWN : loc(l), null,
                    (json ? "malformed JSON: " : "malformed YAML (check indentation, colons and brackets): ") + msg)));
        } catch (IOException e) {
            throw new GridException(List.of(new GridError(file, GridLocation.UNKNOWN, null, "cannot read: " + e.getMessage())));
        }
        if (!b.errors.isEmpty()) throw new GridException(b.errors);
        return new GridFile(file, bytes, root, b.values, b.keys);
    }

    public Path file() {
        return file;
    }

    /** The file exactly as given (copied into the run folder). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public JsonNode root() {
        return root;
    }

    /** Location of the value at {@code path} (falls back to its key, then to the closest parent). */
    public GridLocation location(String path) {
        String p = path;
        while (true) {
            GridLocation l = valueLocations.get(p);
            if (l == null) l = keyLocations.get(p);
            if (l != null) return l;
            if (p.isEmpty()) return GridLocation.UNKNOWN;
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    /** Location of the key itself (for unknown-key messages). */
    public GridLocation keyLocation(String path) {
        GridLocation l = keyLocations.get(path);
        return l != null ? l : location(path);
    }

    public GridError error(String path, String message) {
        return new GridError(file, location(path), path, message);
    }

    public GridError keyError(String path, String message) {
        return new GridError(file, keyLocation(path), path, message);
    }

    public static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    private static GridLocation loc(JsonLocation l) {
        return new GridLocation(l.getLineNr(), l.getColumnNr());
    }

    /** Builds the tree token by token, recording locations, duplicate keys and environment references. */
    private static final class Builder {
        final Path file;
        final Map<String, String> env;
        final Map<String, GridLocation> values = new HashMap<>();
        final Map<String, GridLocation> keys = new HashMap<>();
        final List<GridError> errors = new ArrayList<>();

        Builder(Path file, Map<String, String> env) {
            this.file = file;
            this.env = env;
        }

        JsonNode value(JsonParser p, String path) throws IOException {
            GridLocation here = loc(p.currentTokenLocation());
            values.put(path, here);
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> {
                    ObjectNode o = NODES.objectNode();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        String childPath = child(path, name);
                        GridLocation keyLoc = loc(p.currentTokenLocation());
                        p.nextToken();
                        if (o.has(name)) {
                            errors.add(new GridError(file, keyLoc, childPath, "duplicate key (first given at line " + keys.get(childPath).line() + ")"));
                            value(p, childPath + "#duplicate");
                            continue;
                        }
                        keys.put(childPath, keyLoc);
                        o.set(name, value(p, childPath));
                    }
                    return o;
                }
                case START_ARRAY -> {
                    ArrayNode a = NODES.arrayNode();
                    int i = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) a.add(value(p, index(path, i++)));
                    return a;
                }
                case VALUE_STRING -> {
                    return scalar(p.getText(), path, here);
                }
                case VALUE_NUMBER_INT -> {
                    return switch (p.getNumberType()) {
                        case INT -> NODES.numberNode(p.getIntValue());
                        case LONG -> NODES.numberNode(p.getLongValue());
                        default -> NODES.numberNode(p.getBigIntegerValue());
                    };
                }
                case VALUE_NUMBER_FLOAT -> {
                    return NODES.numberNode(p.getDoubleValue());
                }
                case VALUE_TRUE -> {
                    return NODES.booleanNode(true);
                }
                case VALUE_FALSE -> {
                    return NODES.booleanNode(false);
                }
                case VALUE_NULL -> {
                    return NODES.nullNode();
                }
                default -> {
                    errors.add(new GridError(file, here, path, "unsupported value " + t));
                    return NODES.nullNode();
                }
            }
        }

        /** A string scalar: environment references expanded; 3e-4 style numbers (a YAML 1.1 gap) read as numbers. */
        JsonNode scalar(String text, String path, GridLocation here) {
            boolean interpolated = false;
            if (text.contains("${")) {
                Matcher m = ENV.matcher(text);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    String value = env.get(m.group(1));
                    if (value == null || value.isEmpty()) value = m.group(2) != null ? m.group(3) : null;
                    if (value == null) {
                        errors.add(new GridError(file, here, path, "environment variable " + m.group(1) + " is not set (set it, or give a default: ${"
                                + m.group(1) + ":-value})"));
                        value = "";
                    }
                    m.appendReplacement(sb, Matcher.quoteReplacement(value));
                }
                m.appendTail(sb);
                text = sb.toString();
                interpolated = true;
            }
            String s = text.strip();
            // a value that is empty after substitution is null: the key's default (max_train_samples: ${N:-} = no limit)
            if (interpolated && s.isEmpty()) return NODES.nullNode();
            if (EXPONENT_NUMBER.matcher(s).matches() || (interpolated && PLAIN_NUMBER.matcher(s).matches())) {
                return s.matches("[-+]?\\d+") ? NODES.numberNode(Long.parseLong(s)) : NODES.numberNode(Double.parseDouble(s));
            }
            if (interpolated && (s.equals("true") || s.equals("false"))) return NODES.booleanNode(Boolean.parseBoolean(s));
            return NODES.textNode(text);
        }
    }
}
