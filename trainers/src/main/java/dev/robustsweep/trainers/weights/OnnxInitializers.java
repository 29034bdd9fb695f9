package dev.robustsweep.trainers.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the float initializers of an ONNX model exported from a Hugging Face BERT and gives them
 * their Hugging Face names. Biases and LayerNorm weights are named in the file; the weight matrices
 * are anonymous ("onnx::MatMul_N", stored transposed as [in, out]), so each is named after the bias
 * that the graph adds to its MatMul's output (MatMul -> Add(named bias)) and transposed to [out, in].
 */
public final class OnnxInitializers {
    // ONNX protobuf field numbers (onnx.proto3)
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int FLOAT = 1;

    private OnnxInitializers() {}

    private record Node(String op, List<String> inputs, List<String> outputs) {}

    /** Hugging Face name -> tensor ([out, in] for linear weights), float32 initializers only. */
    public static Map<String, Tensor> read(ByteBuffer model, String source) {
        ByteBuffer buf = model.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Tensor> raw = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        ProtobufReader top = new ProtobufReader(buf, 0, buf.limit());
        boolean sawGraph = false;
        while (top.next()) {
            if (top.field() != MODEL_GRAPH || top.wireType() != ProtobufReader.LENGTH_DELIMITED) {
                top.skip();
                continue;
            }
            sawGraph = true;
            ProtobufReader graph = top.message();
            while (graph.next()) {
                if (graph.field() == GRAPH_INITIALIZER) readTensor(graph.message(), raw);
                else if (graph.field() == GRAPH_NODE) nodes.add(readNode(graph.message()));
                else graph.skip();
            }
        }
        if (!sawGraph) throw new ModelLoadException(source + ": not an ONNX model (no graph)");
        return name(raw, nodes, source);
    }

    private static void readTensor(ProtobufReader t, Map<String, Tensor> out) {
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = null;
        int[] rawRange = null;
        List<Float> floats = new ArrayList<>();
        ByteBuffer buf = t.buffer();
        while (t.next()) {
            switch (t.field()) {
                case TENSOR_DIMS -> {
                    if (t.wireType() == ProtobufReader.LENGTH_DELIMITED) {
                        ProtobufReader packed = t.message();
                        while (packed.buffer().position() < packed.range0End()) dims.add(packed.varint());
                    } else dims.add(t.varint());
                }
                case TENSOR_DATA_TYPE -> dataType = (int) t.varint();
                case TENSOR_NAME -> name = t.string();
                case TENSOR_RAW_DATA -> rawRange = t.range();
                case TENSOR_FLOAT_DATA -> {
                    int[] r = t.range();
                    for (int i = r[0]; i < r[1]; i += 4) floats.add(buf.getFloat(i));
                }
                default -> t.skip();
            }
        }
        if (dataType != FLOAT || name == null) return;
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        FloatBuffer data;
        if (rawRange != null) {
            data = buf.duplicate().position(rawRange[0]).limit(rawRange[1]).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        } else {
            float[] f = new float[floats.size()];
            for (int i = 0; i < f.length; i++) f[i] = floats.get(i);
            data = FloatBuffer.wrap(f);
        }
        out.put(name, new Tensor(shape, data));
    }

    private static Node readNode(ProtobufReader n) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String op = "";
        while (n.next()) {
            switch (n.field()) {
                case NODE_INPUT -> in.add(n.string());
                case NODE_OUTPUT -> out.add(n.string());
                case NODE_OP_TYPE -> op = n.string();
                default -> n.skip();
            }
        }
        return new Node(op, in, out);
    }

    /** Names the anonymous MatMul weights after the bias added to their output, transposing them. */
    private static Map<String, Tensor> name(Map<String, Tensor> raw, List<Node> nodes, String source) {
        Map<String, Node> addByInput = new HashMap<>();
        for (Node n : nodes) {
            if (n.op.equals("Add")) for (String in : n.inputs) addByInput.put(in, n);
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : raw.entrySet()) {
            if (!e.getKey().startsWith("onnx::")) named.put(e.getKey(), e.getValue());
        }
        for (Node n : nodes) {
            if (!n.op.equals("MatMul") || n.inputs.size() != 2 || !raw.containsKey(n.inputs.get(1))) continue;
            String weightId = n.inputs.get(1);
            if (!weightId.startsWith("onnx::")) continue;
            Node add = addByInput.get(n.outputs.get(0));
            String bias = add == null ? null : add.inputs.stream().filter(s -> s.endsWith(".bias")).findFirst().orElse(null);
            if (bias == null) {
                throw new ModelLoadException(source + ": cannot name weight " + weightId + ": its MatMul output feeds no Add of a named bias");
            }
            named.put(bias.substring(0, bias.length() - ".bias".length()) + ".weight", transpose(raw.get(weightId)));
        }
        return named;
    }

    /** [in, out] -> [out, in]. */
    static Tensor transpose(Tensor t) {
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        float[] out = new float[rows * cols];
        FloatBuffer src = t.data().duplicate();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) out[j * rows + i] = src.get(i * cols + j);
        }
        return new Tensor(new long[] {cols, rows}, FloatBuffer.wrap(out));
    }
}
