package org.biogpt.spark.core.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.biogpt.spark.core.checkpoint.DType;
import org.biogpt.spark.core.checkpoint.StateDict;
import org.biogpt.spark.core.checkpoint.TensorInfo;

/** A fixture StateDict with tensors renamed, removed or replaced, to build broken checkpoints in tests. */
final class EditedStateDict implements StateDict {
    private final StateDict base;
    private final Map<String, String> sourceOf = new LinkedHashMap<>();
    private final Map<String, float[]> replaced = new LinkedHashMap<>();
    private final Map<String, long[]> replacedShape = new LinkedHashMap<>();

    EditedStateDict(StateDict base, UnaryOperator<String> rename) {
        this.base = base;
        for (String n : base.names()) {
            sourceOf.put(rename.apply(n), n);
        }
    }

    EditedStateDict remove(String name) {
        sourceOf.remove(name);
        replaced.remove(name);
        return this;
    }

    EditedStateDict put(String name, float[] values, long... shape) {
        sourceOf.putIfAbsent(name, null);
        replaced.put(name, values);
        replacedShape.put(name, shape);
        return this;
    }

    @Override
    public Set<String> names() {
        return sourceOf.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        if (replaced.containsKey(name)) {
            return new TensorInfo(name, DType.F32, replacedShape.get(name));
        }
        return new TensorInfo(name, base.info(sourceOf.get(name)).dtype(), base.info(sourceOf.get(name)).shape());
    }

    @Override
    public ByteBuffer float32Bytes(String name) {
        if (replaced.containsKey(name)) {
            float[] v = replaced.get(name);
            ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(v);
            return b;
        }
        return base.float32Bytes(sourceOf.get(name));
    }

    @Override
    public void close() {
        base.close();
    }
}
