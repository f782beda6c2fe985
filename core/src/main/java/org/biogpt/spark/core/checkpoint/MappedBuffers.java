package org.biogpt.spark.core.checkpoint;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;

/**
 * Unmaps a tensor's file mapping as soon as its bytes have been copied, rather than when the
 * garbage collector gets to the buffer: the mapped pages count in RSS, and while a whole
 * checkpoint's mappings waited for a GC the load peaked at about twice the weights.
 */
public final class MappedBuffers {
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method clean = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            clean = c.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not available: mappings are released by the GC, as before.
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = clean;
    }

    private MappedBuffers() {
    }

    /**
     * Unmaps (or, for a direct buffer, frees) {@code buffer} now if it owns its memory; does
     * nothing for slices and duplicates (such as tensors inside a shared storage mapping), whose
     * parent the GC releases. The buffer must not be used afterwards.
     */
    public static void release(ByteBuffer buffer) {
        if (INVOKE_CLEANER == null || !(buffer instanceof MappedByteBuffer)) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a slice or duplicate (IllegalArgumentException): the GC unmaps its parent
        }
    }
}
