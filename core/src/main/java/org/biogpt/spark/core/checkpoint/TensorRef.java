package org.biogpt.spark.core.checkpoint;

/**
 * A tensor as {@code torch._utils._rebuild_tensor_v2} describes it: a window of a storage given by
 * an element offset, a shape and strides (in elements).
 */
record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {

    long numel() {
        long n = 1;
        for (long d : size) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Row-major contiguous: the tensor is one run of storage elements (size-1 dims may have any stride). */
    boolean isContiguous() {
        long expected = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= size[i];
        }
        return true;
    }

    /** One past the largest storage element the tensor reads (offset when it is empty). */
    long storageEnd() {
        if (numel() == 0) {
            return offset;
        }
        long last = offset;
        for (int i = 0; i < size.length; i++) {
            last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
        }
        return last + 1;
    }
}
