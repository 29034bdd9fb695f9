package dev.robustsweep.engine.grid;

import com.fasterxml.jackson.databind.JsonNode;

/** A parameter value and the grid path it was written at (for messages). */
public record SourcedValue(JsonNode value, String path) {}
