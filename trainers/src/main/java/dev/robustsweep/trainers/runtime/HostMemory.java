package dev.robustsweep.trainers.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * A float view that shares the memory of a contiguous float32 CPU tensor (libtorch's own storage), so
 * that the optimizer can update parameters and moments in place in one fused pass instead of a dozen
 * engine ops. {@link #of} answers null for anything it cannot view safely (GPU, other types, a
 * non-contiguous tensor, whose "direct" buffer would be a copy and whose writes would be lost); the
 * caller then uses engine ops.
 */
public final class HostMemory {
    /** PyTorchLibrary.torchIsContiguous(long), package-private in DJL 0.36; null if it cannot be reached. */
    private static final Object LIB;
    private static final Method IS_CONTIGUOUS;

    static {
        Object lib = null;
        Method isContiguous = null;
        try {
            Class<?> c = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field f = c.getDeclaredField("LIB");
            f.setAccessible(true);
            isContiguous = c.getDeclaredMethod("torchIsContiguous", long.class);
            isContiguous.setAccessible(true);
            lib = f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            lib = null;
            isContiguous = null;
        }
        LIB = lib;
        IS_CONTIGUOUS = isContiguous;
    }

    private HostMemory() {}

    /** The tensor's float32 elements as a shared view, or null when only engine ops may touch it. */
    public static FloatBuffer of(NDArray array) {
        ByteBuffer bytes = bytes(array);
        return bytes == null ? null : bytes.asFloatBuffer();
    }

    /** The same shared view as {@link #of}, holding the elements' bit patterns (Float.floatToRawIntBits). */
    public static IntBuffer bitsOf(NDArray array) {
        ByteBuffer bytes = bytes(array);
        return bytes == null ? null : bytes.asIntBuffer();
    }

    private static ByteBuffer bytes(NDArray array) {
        if (IS_CONTIGUOUS == null || !(array instanceof PtNDArray pt)) return null;
        if (array.getDevice().isGpu() || array.getDataType() != DataType.FLOAT32 || array.isSparse()) return null;
        try {
            if (!(Boolean) IS_CONTIGUOUS.invoke(LIB, pt.getHandle())) return null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
        // contiguous and dense: DJL returns a direct buffer over the tensor's data pointer (no copy)
        ByteBuffer view = array.toByteBuffer(true).order(ByteOrder.nativeOrder());
        return view.capacity() == array.size() * 4 ? view : null;
    }
}
