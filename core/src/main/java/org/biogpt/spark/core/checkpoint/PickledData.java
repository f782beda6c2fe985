package org.biogpt.spark.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The inert Python data types a fairseq checkpoint pickles besides tensors, decoded in Java:
 * numpy scalars (meter values, {@code numpy.core.multiarray.scalar(dtype, bytes)}), their
 * {@code numpy.dtype}, the bytes of a protocol-2 pickle ({@code _codecs.encode(text, "latin1")})
 * and {@code argparse.Namespace} (the {@code args} of older checkpoints), read as a map. None of
 * them runs anything: numpy and Python are never called, the values are rebuilt from their bytes.
 */
final class PickledData {
    static final String NUMPY_SCALAR = "numpy.core.multiarray.scalar";
    /** numpy 2 pickles the same constructor under its new module name. */
    static final String NUMPY2_SCALAR = "numpy._core.multiarray.scalar";
    static final String NUMPY_DTYPE = "numpy.dtype";
    static final String CODECS_ENCODE = "_codecs.encode";
    static final String NAMESPACE = "argparse.Namespace";

    private PickledData() {
    }

    /** An {@code argparse.Namespace}: its attributes by name. */
    static final class Namespace extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;
    }

    /** A numpy dtype as pickled: a type string like "f8" and the byte order BUILD gives it. */
    static final class NumpyDtype {
        private final String type;
        private ByteOrder order = ByteOrder.LITTLE_ENDIAN;

        NumpyDtype(String type) {
            this.type = type;
        }

        String type() {
            return type;
        }

        /** numpy's __setstate__ tuple: (version, byteorder, ...); only the byte order matters here. */
        void setState(Object state, Function<String, CheckpointException> error) {
            if (!(state instanceof List<?> s) || s.size() < 2 || !(s.get(1) instanceof String bo)) {
                throw error.apply("numpy dtype state is not (version, byteorder, ...)");
            }
            switch (bo) {
                case "<", "|", "=" -> order = ByteOrder.LITTLE_ENDIAN;
                case ">" -> order = ByteOrder.BIG_ENDIAN;
                default -> throw error.apply("numpy dtype byte order '" + bo + "' is not one of < > | =");
            }
        }

        @Override
        public String toString() {
            return "numpy.dtype(" + type + ")";
        }
    }

    /** A numpy scalar of a type this reader does not decode (kept as its dtype and raw bytes). */
    record NumpyScalar(String dtype, byte[] bytes) {
    }

    /** {@code numpy.dtype(type, align, copy)}. */
    static NumpyDtype dtype(List<?> args, Function<String, CheckpointException> error) {
        if (args.isEmpty() || !(args.get(0) instanceof String type) || type.length() > 16) {
            throw error.apply("numpy.dtype called with unexpected arguments");
        }
        return new NumpyDtype(type);
    }

    /**
     * {@code numpy.core.multiarray.scalar(dtype, bytes)}: floats as Double, integers as Long, bool
     * as Boolean; other types stay a {@link NumpyScalar}.
     */
    static Object scalar(List<?> args, Function<String, CheckpointException> error) {
        if (args.size() != 2 || !(args.get(0) instanceof NumpyDtype dt) || !(args.get(1) instanceof byte[] raw)) {
            throw error.apply("numpy scalar needs (dtype, bytes)");
        }
        String t = dt.type().toLowerCase(Locale.ROOT);
        int size = switch (t) {
            case "f8", "i8", "u8" -> 8;
            case "f4", "i4", "u4" -> 4;
            case "f2", "i2", "u2" -> 2;
            case "i1", "u1", "b1" -> 1;
            default -> -1;
        };
        if (size < 0) {
            return new NumpyScalar(dt.type(), raw.clone());
        }
        if (raw.length != size) {
            throw error.apply("numpy " + dt.type() + " scalar has " + raw.length + " bytes, not " + size);
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(dt.order);
        return switch (t) {
            case "f8" -> b.getDouble();
            case "f4" -> (double) b.getFloat();
            case "f2" -> (double) Float16.f16ToFloat(b.getShort());
            case "i8", "u8" -> b.getLong();
            case "i4" -> (long) b.getInt();
            case "u4" -> b.getInt() & 0xffffffffL;
            case "i2" -> (long) b.getShort();
            case "u2" -> (long) (b.getShort() & 0xffff);
            case "i1" -> (long) b.get();
            case "u1" -> (long) (b.get() & 0xff);
            default -> b.get() != 0; // b1
        };
    }

    /** {@code _codecs.encode(text, "latin1")}: how protocol 2 pickles bytes; each char is one byte. */
    static byte[] encode(List<?> args, Function<String, CheckpointException> error) {
        if (args.size() != 2 || !(args.get(0) instanceof String text) || !(args.get(1) instanceof String enc)) {
            throw error.apply("_codecs.encode needs (text, encoding)");
        }
        String e = enc.toLowerCase(Locale.ROOT).replace('_', '-');
        if (!e.equals("latin1") && !e.equals("latin-1") && !e.equals("iso-8859-1")) {
            throw error.apply("_codecs.encode with encoding '" + enc + "'; only latin1 (pickled bytes) is read");
        }
        byte[] out = new byte[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            if (c > 0xff) {
                throw error.apply("_codecs.encode text has a character above U+00FF, not latin1");
            }
            out[i] = (byte) c;
        }
        return out;
    }
}
