package org.biogpt.spark.core.checkpoint;

import java.util.Map;

/**
 * A {@code torch.*Storage} class named in a checkpoint's persistent ids. All are accepted while
 * unpickling (they are data types, not code), but only float storages can hold weights we use:
 * {@link #dtype()} is null for the others and the checkpoint reports the tensor that uses one.
 *
 * @param name        the class name, e.g. {@code FloatStorage}
 * @param dtype       the weight dtype, or null when the storage cannot hold usable weights
 * @param elementSize bytes per element of the storage
 */
record TorchStorageType(String name, DType dtype, int elementSize) {

    private static final Map<String, TorchStorageType> KNOWN = Map.ofEntries(
            known("FloatStorage", DType.F32, 4),
            known("HalfStorage", DType.F16, 2),
            known("BFloat16Storage", DType.BF16, 2),
            known("DoubleStorage", null, 8),
            known("LongStorage", null, 8),
            known("IntStorage", null, 4),
            known("ShortStorage", null, 2),
            known("CharStorage", null, 1),
            known("ByteStorage", null, 1),
            known("BoolStorage", null, 1),
            known("ComplexFloatStorage", null, 8),
            known("ComplexDoubleStorage", null, 16),
            // torch >= 2 writes UntypedStorage only for storages saved on their own (bytes, no dtype).
            known("UntypedStorage", null, 1));

    private static Map.Entry<String, TorchStorageType> known(String name, DType dtype, int size) {
        return Map.entry(name, new TorchStorageType(name, dtype, size));
    }

    /** The storage type for {@code torch.<name>}, or null if {@code name} is not one. */
    static TorchStorageType forName(String name) {
        return KNOWN.get(name);
    }
}
