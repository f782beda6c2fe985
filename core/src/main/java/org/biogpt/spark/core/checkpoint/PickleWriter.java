package org.biogpt.spark.core.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes the protocol-2 pickle of a {@code torch.save} object from plain Java values, using only
 * the opcodes and globals {@link RestrictedUnpickler} reads (and Python's pickle reads too):
 * String, Long/Integer, Double, Boolean, null, List (list), {@link Tuple}, Map (dict),
 * {@link OrderedDict}, {@link Tensor} and {@link NumpyFloat64}.
 */
final class PickleWriter {

    /** A Python tuple. */
    record Tuple(List<?> items) {
    }

    /** A {@code collections.OrderedDict} (how torch pickles a state dict). */
    record OrderedDict(Map<String, ?> items) {
    }

    /** A numpy float64 scalar, pickled the way numpy does (dtype, then its bytes through _codecs.encode). */
    record NumpyFloat64(double value) {
    }

    /** A tensor: a window of the storage {@code data/<key>}, as {@code _rebuild_tensor_v2} takes it. */
    record Tensor(String key, String storageType, long storageNumel, long offset, long[] size, long[] stride) {
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PickleWriter() {
    }

    static byte[] write(Object root) {
        PickleWriter w = new PickleWriter();
        w.op(0x80, 2); // PROTO 2
        w.value(root);
        w.op('.');
        return w.out.toByteArray();
    }

    private void value(Object v) {
        if (v == null) {
            op('N');
        } else if (v instanceof Boolean b) {
            op(b ? 0x88 : 0x89);
        } else if (v instanceof Integer || v instanceof Long) {
            integer(((Number) v).longValue());
        } else if (v instanceof Double d) {
            op('G');
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(d).array());
        } else if (v instanceof String s) {
            string(s);
        } else if (v instanceof Tuple t) {
            op('(');
            t.items().forEach(this::value);
            op('t');
        } else if (v instanceof List<?> l) {
            op(']');
            if (!l.isEmpty()) {
                op('(');
                l.forEach(this::value);
                op('e');
            }
        } else if (v instanceof OrderedDict d) {
            global("collections", "OrderedDict");
            op(')', 'R');
            items(d.items());
        } else if (v instanceof Map<?, ?> m) {
            op('}');
            items(m);
        } else if (v instanceof Tensor t) {
            tensor(t);
        } else if (v instanceof NumpyFloat64 f) {
            numpyFloat64(f.value());
        } else {
            throw new IllegalArgumentException("cannot pickle a " + v.getClass().getName());
        }
    }

    private void items(Map<?, ?> m) {
        if (m.isEmpty()) {
            return;
        }
        op('(');
        m.forEach((k, v) -> {
            value(k);
            value(v);
        });
        op('u');
    }

    /** _rebuild_tensor_v2(persistent storage, offset, size, stride, requires_grad False, OrderedDict()). */
    private void tensor(Tensor t) {
        global("torch._utils", "_rebuild_tensor_v2");
        op('(');
        op('(');
        string("storage");
        global("torch", t.storageType());
        string(t.key());
        string("cpu");
        integer(t.storageNumel());
        op('t', 'Q'); // TUPLE, BINPERSID
        integer(t.offset());
        value(new Tuple(boxed(t.size())));
        value(new Tuple(boxed(t.stride())));
        op(0x89);
        global("collections", "OrderedDict");
        op(')', 'R', 't', 'R');
    }

    private void numpyFloat64(double v) {
        global("numpy.core.multiarray", "scalar");
        global("numpy", "dtype");
        string("f8");
        op(0x89, 0x88, 0x87, 'R'); // dtype('f8', False, True)
        value(new Tuple(java.util.Arrays.asList(3L, "<", null, null, null, -1L, -1L, 0L))); // numpy's __setstate__
        op('b');
        byte[] raw = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array();
        StringBuilder latin1 = new StringBuilder();
        for (byte b : raw) {
            latin1.append((char) (b & 0xff));
        }
        global("_codecs", "encode");
        string(latin1.toString());
        string("latin1");
        op(0x86, 'R', 0x86, 'R');
    }

    private static List<Long> boxed(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    private void integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            op('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {
            op(0x8a, 8); // LONG1, 8 bytes two's complement
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
    }

    private void string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
    }

    private void global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void op(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
    }
}
