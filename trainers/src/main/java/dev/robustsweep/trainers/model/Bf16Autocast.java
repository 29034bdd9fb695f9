package dev.robustsweep.trainers.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * bf16 autocast of matrix multiplies, as torch.autocast(dtype=torch.bfloat16) under Hugging Face
 * Trainer's {@code bf16: true}: parameters stay float32 (the optimizer's master copy); each linear /
 * matmul casts its float32 operands to bfloat16, multiplies (float32 accumulation inside the kernel),
 * and returns float32, so softmax, norms, losses and reductions run in float32.
 *
 * <p>Why TorchScript: DJL 0.36 cannot express this itself. Its JNI maps DataType ordinals to torch
 * scalar types only up to COMPLEX64 (djl_pytorch_utils.h GetScalarTypeFromDType); BFLOAT16 (ordinal 11)
 * falls into {@code default: throw;}, a rethrow with no active exception, which calls std::terminate
 * and aborts the JVM. Its torchTo also runs under NoGradGuard, so a cast inside a forward pass would
 * cut the gradient. Here the casts and the multiply run inside a tiny TorchScript module, written by
 * this class (no binary resource) and called through DJL's module API in training mode, so the casts
 * are recorded by autograd: the gradient reaches the float32 weights and every earlier activation, in
 * float32 (the autograd engine casts a gradient back to its input's dtype). DJL never holds a bf16 array.
 */
public final class Bf16Autocast {
    /**
     * The module's TorchScript source in the serialised form torch.jit.save writes (torch 1.13):
     * ScalarType 15 = bfloat16, 6 = float32.
     */
    static final String CODE = """
            class Bf16Autocast(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def forward(self: __torch__.Bf16Autocast,
                x: Tensor,
                w: Tensor) -> Tensor:
                _0 = torch.linear(torch.to(x, 15), torch.to(w, 15))
                return torch.to(_0, 6)
              def linear_bias(self: __torch__.Bf16Autocast,
                x: Tensor,
                w: Tensor,
                b: Tensor) -> Tensor:
                _1 = torch.linear(torch.to(x, 15), torch.to(w, 15), torch.to(b, 15))
                return torch.to(_1, 6)
              def matmul(self: __torch__.Bf16Autocast,
                a: Tensor,
                b: Tensor) -> Tensor:
                _2 = torch.matmul(torch.to(a, 15), torch.to(b, 15))
                return torch.to(_2, 6)
            """;

    private static volatile Bf16Autocast instance;

    private final PtSymbolBlock module;
    private final NDArray linearBias;
    private final NDArray matmul;

    private Bf16Autocast(PtSymbolBlock module, NDArray linearBias, NDArray matmul) {
        this.module = module;
        this.linearBias = linearBias;
        this.matmul = matmul;
    }

    /** x W^T (+ b) with bf16 operands, float32 result: torch.nn.functional.linear under bf16 autocast. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        Bf16Autocast a = get();
        // x first: DJL attaches the result to the first input's manager (the caller's, not this class's)
        NDList in = bias == null ? new NDList(x, weight) : new NDList(x, weight, bias, a.linearBias);
        return a.run(in);
    }

    /** a @ b (torch.matmul broadcasting) with bf16 operands, float32 result. */
    public static NDArray matMul(NDArray a, NDArray b) {
        Bf16Autocast m = get();
        return m.run(new NDList(a, b, m.matmul));
    }

    private NDArray run(NDList inputs) {
        // the interpreter runs the graph as written (no profiling specialisations per shape); thread-local
        JniUtils.setGraphExecutorOptimize(false);
        // isTrain = true: run under the caller's grad mode (recorded inside a GradientCollector), not InferenceMode
        return IValueUtils.forward(module, inputs, true).singletonOrThrow();
    }

    private static Bf16Autocast get() {
        Bf16Autocast a = instance;
        if (a == null) {
            synchronized (Bf16Autocast.class) {
                a = instance;
                if (a == null) instance = a = load();
            }
        }
        return a;
    }

    private static Bf16Autocast load() {
        // a manager that lives as long as the JVM: the module and its two method-selector arrays
        NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
        try {
            PtSymbolBlock block = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(archive()), false, false);
            // DJL's IValueUtils picks a module method from an input array named "module_method:<name>" (the array is not passed)
            NDArray linearBias = manager.zeros(new ai.djl.ndarray.types.Shape(1));
            linearBias.setName("module_method:linear_bias");
            NDArray matmul = manager.zeros(new ai.djl.ndarray.types.Shape(1));
            matmul.setName("module_method:matmul");
            return new Bf16Autocast(block, linearBias, matmul);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The TorchScript archive torch.jit.load reads: a zip (stored entries) with the module's pickled
     * object (class __torch__.Bf16Autocast, attribute training = True), its code, no constants, format version 3.
     */
    static byte[] archive() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "bf16_autocast/data.pkl", dataPickle());
            put(zip, "bf16_autocast/code/__torch__.py", CODE.getBytes(StandardCharsets.UTF_8));
            put(zip, "bf16_autocast/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}); // PROTO 2, EMPTY_TUPLE, STOP
            put(zip, "bf16_autocast/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return bytes.toByteArray();
    }

    /** Pickle protocol 2 of the module object: GLOBAL class, NEWOBJ, state dict {"training": True}, BUILD (the opcodes torch.jit.save writes). */
    private static byte[] dataPickle() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(0x80);
        p.write(2); // PROTO 2
        p.write('c');
        p.writeBytes("__torch__\nBf16Autocast\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL module\nname\n
        p.write(')'); // EMPTY_TUPLE
        p.write(0x81); // NEWOBJ
        p.write('}'); // EMPTY_DICT
        p.write('('); // MARK
        byte[] key = "training".getBytes(StandardCharsets.US_ASCII);
        p.write('X'); // BINUNICODE, 4-byte little-endian length
        p.write(key.length);
        p.write(0);
        p.write(0);
        p.write(0);
        p.writeBytes(key);
        p.write(0x88); // NEWTRUE
        p.write('u'); // SETITEMS (torch's unpickler knows no SETITEM)
        p.write('b'); // BUILD
        p.write('.'); // STOP
        return p.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        e.setTime(315532800000L); // 1980-01-01, the zip epoch: the same bytes every time
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
