package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One grid axis: a trial parameter (canonical name, e.g. {@code learning_rate}, {@code lora.r})
 * and the values it takes; {@code path} is where the list sits in the grid file.
 */
public record Axis(String param, String path, List<JsonNode> values) {
    public String valuePath(int i) {
        return GridFile.index(path, i);
    }
}
