package org.biogpt.spark.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, so tests can build exactly the (malicious) bytes they need. */
final class PickleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBytes op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleBytes proto(int p) {
        return op(0x80, p);
    }

    PickleBytes global(String module, String name) {
        op('c');
        ascii(module + "\n" + name + "\n");
        return this;
    }

    PickleBytes str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        int32(b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBytes shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c, b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBytes binint(int v) {
        op('J');
        return int32(v);
    }

    PickleBytes int32(int v) {
        return op(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    }

    /** A small non-negative int as BININT1 / BININT2 / BININT, like pickle chooses. */
    PickleBytes integer(long v) {
        if (v < 256) {
            return op('K', (int) v);
        }
        if (v < 65536) {
            return op('M', (int) (v & 0xff), (int) (v >>> 8));
        }
        return binint((int) v);
    }

    PickleBytes tuple(long... values) {
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    PickleBytes mark() {
        return op('(');
    }

    /** persistent id ('storage', torch.<type>, key, 'cpu', numel) followed by BINPERSID. */
    PickleBytes storage(String type, String key, long numel) {
        mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).op('t');
        return op('Q');
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict()) of a persistent storage. */
    PickleBytes tensor(String type, String key, long numel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2");
        mark();
        storage(type, key, numel);
        integer(offset).tuple(size).tuple(stride).op(0x89);
        global("collections", "OrderedDict").op(')', 'R');
        return op('t', 'R');
    }

    private void ascii(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
