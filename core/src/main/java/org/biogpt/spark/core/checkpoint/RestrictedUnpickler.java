package org.biogpt.spark.core.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pickle of a {@code torch.save} state dict without ever resolving a Python callable.
 * Only the opcodes {@code torch.save} emits are implemented, and only these globals are accepted:
 * {@code torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter},
 * {@code collections.OrderedDict} and the {@code torch.*Storage} types, plus the inert data
 * constructors a fairseq checkpoint's training state uses ({@link PickledData}: numpy scalars and
 * dtypes, {@code _codecs.encode}, {@code argparse.Namespace}), each decoded in Java. Any other
 * global ({@code os.system}, {@code builtins.eval}, ...) or opcode is a {@link CheckpointException}
 * naming it, raised when the global is named, before anything after it is read. Tensors come out
 * as {@link TensorRef}s (their bytes are never read here), storages as {@link StorageRef}s; Python
 * values as Long, Double, Boolean, String, byte[], null, List (tuples unmodifiable) and
 * LinkedHashMap ({@link PickledData.Namespace} for an {@code argparse.Namespace}).
 */
final class RestrictedUnpickler {

    /** An accepted global, pushed by GLOBAL/STACK_GLOBAL; only REDUCE and persistent ids use it. */
    private record Global(String module, String name, TorchStorageType storage) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final String source;
    private final ByteBuffer in;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    private RestrictedUnpickler(String source, byte[] data) {
        this.source = source;
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Unpickles {@code data}; {@code source} names it in error messages. */
    static Object load(String source, byte[] data) {
        return new RestrictedUnpickler(source, data).run();
    }

    private Object run() {
        while (true) {
            if (!in.hasRemaining()) {
                throw error("pickle ends without STOP (truncated)");
            }
            int at = in.position();
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw error("unsupported pickle protocol " + proto);
                    }
                }
                case 0x95 -> checkFrame(u64("FRAME")); // FRAME: a length hint only; its bytes are ordinary opcodes
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw error("STOP with " + stack.size() + " objects on the stack");
                    }
                    return stack.get(0);
                }
                case '(' -> { // MARK
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case '}' -> push(new LinkedHashMap<>()); // EMPTY_DICT
                case ']' -> push(new ArrayList<>()); // EMPTY_LIST
                case ')' -> push(Collections.emptyList()); // EMPTY_TUPLE
                case 't' -> push(tuple(popMark())); // TUPLE
                case 0x85 -> push(tuple(pop(1))); // TUPLE1
                case 0x86 -> push(tuple(pop(2))); // TUPLE2
                case 0x87 -> push(tuple(pop(3))); // TUPLE3
                case 'l' -> push(new ArrayList<>(popMark())); // LIST
                case 'd' -> push(dict(popMark())); // DICT
                case 'X' -> push(string(u32("BINUNICODE"))); // BINUNICODE
                case 'C' -> push(bytes(u8())); // SHORT_BINBYTES (protocol 3+)
                case 'B' -> push(bytes(u32("BINBYTES"))); // BINBYTES
                case 0x8e -> push(bytes(u64("BINBYTES8"))); // BINBYTES8
                case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args); only argparse.Namespace is built this way
                    List<Object> ca = pop(2);
                    push(newObject(ca.get(0), ca.get(1)));
                }
                case 0x8c -> push(string(u8())); // SHORT_BINUNICODE
                case 0x8d -> push(string(u64("BINUNICODE8"))); // BINUNICODE8
                case 'J' -> push((long) need(4).getInt()); // BININT
                case 'K' -> push((long) u8()); // BININT1
                case 'M' -> push((long) (need(2).getShort() & 0xffff)); // BININT2
                case 0x8a -> push(long1()); // LONG1
                case 'G' -> push(need(8).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT (big-endian)
                case 0x88 -> push(Boolean.TRUE); // NEWTRUE
                case 0x89 -> push(Boolean.FALSE); // NEWFALSE
                case 'N' -> push(null); // NONE
                case 'q' -> memo.put((long) u8(), top()); // BINPUT
                case 'r' -> memo.put(u32("LONG_BINPUT"), top()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), top()); // MEMOIZE
                case 'h' -> push(memoGet(u8())); // BINGET
                case 'j' -> push(memoGet(u32("LONG_BINGET"))); // LONG_BINGET
                case 'c' -> push(global(line(), line())); // GLOBAL "module\nname\n"
                case 0x93 -> { // STACK_GLOBAL
                    List<Object> mn = pop(2);
                    if (!(mn.get(0) instanceof String m) || !(mn.get(1) instanceof String n)) {
                        throw error("STACK_GLOBAL needs two strings, got " + mn);
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(persistentLoad(pop(1).get(0))); // BINPERSID
                case 'R' -> { // REDUCE
                    List<Object> fa = pop(2);
                    push(reduce(fa.get(0), fa.get(1)));
                }
                case 'b' -> { // BUILD
                    Object state = pop(1).get(0);
                    build(top(), state);
                }
                case 's' -> { // SETITEM
                    List<Object> kv = pop(2);
                    asDict(top(), "SETITEM").put(kv.get(0), kv.get(1));
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    asDict(top(), "SETITEMS").putAll(dict(items));
                }
                case 'a' -> { // APPEND
                    Object v = pop(1).get(0);
                    asList(top(), "APPEND").add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    asList(top(), "APPENDS").addAll(items);
                }
                default -> throw new CheckpointException(source + ": pickle opcode 0x" + Integer.toHexString(op)
                        + printable(op) + " at byte " + at
                        + " is not allowed in a checkpoint (only the opcodes torch.save writes are read)");
            }
        }
    }

    private Global global(String module, String name) {
        String full = module + "." + name;
        switch (full) {
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter", "collections.OrderedDict",
                    PickledData.NUMPY_SCALAR, PickledData.NUMPY2_SCALAR, PickledData.NUMPY_DTYPE,
                    PickledData.CODECS_ENCODE, PickledData.NAMESPACE:
                return new Global(module, name, null);
            default:
                break;
        }
        TorchStorageType st = module.equals("torch") ? TorchStorageType.forName(name) : null;
        if (st != null) {
            return new Global(module, name, st);
        }
        throw new CheckpointException(source + ": refusing pickle global '" + full + "': a checkpoint may only "
                + "name torch tensor-rebuild functions, torch storage types, collections.OrderedDict and the "
                + "data types of a fairseq training state (numpy scalars and dtypes, _codecs.encode, "
                + "argparse.Namespace); nothing in a checkpoint is ever executed");
    }

    private Object reduce(Object callable, Object args) {
        if (!(callable instanceof Global g) || g.storage != null) {
            throw error("REDUCE on " + describe(callable) + ", which is not an accepted callable");
        }
        if (!(args instanceof List<?> a)) {
            throw error("REDUCE arguments for " + g + " are not a tuple");
        }
        String full = g.toString();
        switch (full) {
            case PickledData.NUMPY_DTYPE -> {
                return PickledData.dtype(a, this::error);
            }
            case PickledData.NUMPY_SCALAR, PickledData.NUMPY2_SCALAR -> {
                return PickledData.scalar(a, this::error);
            }
            case PickledData.CODECS_ENCODE -> {
                return PickledData.encode(a, this::error);
            }
            case PickledData.NAMESPACE -> throw error("argparse.Namespace is called by REDUCE; pickle builds "
                    + "it with NEWOBJ");
            case "collections.OrderedDict" -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (!a.isEmpty()) {
                    if (a.size() != 1 || !(a.get(0) instanceof List<?> pairs)) {
                        throw error("collections.OrderedDict called with unexpected arguments");
                    }
                    for (Object p : pairs) {
                        if (!(p instanceof List<?> kv) || kv.size() != 2) {
                            throw error("collections.OrderedDict item is not a pair");
                        }
                        d.put(kv.get(0), kv.get(1));
                    }
                }
                return d;
            }
            case "torch._utils._rebuild_parameter" -> {
                if (a.size() != 3 || !(a.get(0) instanceof TensorRef t)) {
                    throw error("torch._utils._rebuild_parameter needs (tensor, requires_grad, hooks)");
                }
                return t;
            }
            default -> {
                // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.size() < 6 || a.size() > 7 || !(a.get(0) instanceof StorageRef s)) {
                    throw error("torch._utils._rebuild_tensor_v2 called with unexpected arguments");
                }
                long offset = integer(a.get(1), "storage_offset");
                long[] size = longs(a.get(2), "size");
                long[] stride = longs(a.get(3), "stride");
                if (size.length != stride.length) {
                    throw error("tensor size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride)
                            + " differ in rank");
                }
                return new TensorRef(s, offset, size, stride);
            }
        }
    }

    /** torch's persistent id: ('storage', storage_type, key, location, numel). */
    private StorageRef persistentLoad(Object pid) {
        if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw error("persistent id " + describe(pid) + " is not a torch storage reference");
        }
        if (!(t.get(1) instanceof Global g) || g.storage == null) {
            throw error("persistent id names " + describe(t.get(1)) + ", not a torch storage type");
        }
        if (!(t.get(2) instanceof String key) || !(t.get(3) instanceof String location)) {
            throw error("persistent id has a non-string key or location");
        }
        return new StorageRef(key, g.storage, location, integer(t.get(4), "storage numel"));
    }

    /** NEWOBJ: only {@code argparse.Namespace()}, whose attributes BUILD then sets. */
    private Object newObject(Object cls, Object args) {
        if (!(cls instanceof Global g) || !g.toString().equals(PickledData.NAMESPACE)) {
            throw error("NEWOBJ on " + describe(cls) + "; only argparse.Namespace may be created this way");
        }
        if (!(args instanceof List<?> a) || !a.isEmpty()) {
            throw error("argparse.Namespace created with arguments");
        }
        return new PickledData.Namespace();
    }

    /**
     * BUILD sets object state: a Namespace's attributes, a numpy dtype's byte order; an
     * OrderedDict's state is only its unused _metadata, which is dropped.
     */
    private void build(Object target, Object state) {
        if (target instanceof PickledData.Namespace ns && state instanceof Map<?, ?> attrs) {
            ns.putAll(attrs);
            return;
        }
        if (target instanceof PickledData.NumpyDtype dt) {
            dt.setState(state, this::error);
            return;
        }
        if (target instanceof Map<?, ?> && !(target instanceof PickledData.Namespace)
                && (state == null || state instanceof Map<?, ?>)) {
            return;
        }
        throw error("BUILD on " + describe(target) + " is not part of a checkpoint");
    }

    private long integer(Object o, String what) {
        if (!(o instanceof Long v) || v < 0) {
            throw error(what + " must be a non-negative integer, got " + describe(o));
        }
        return v;
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof List<?> l)) {
            throw error("tensor " + what + " is not a tuple: " + describe(o));
        }
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = integer(l.get(i), "tensor " + what + " entry");
        }
        return r;
    }

    private Object memoGet(long index) {
        if (!memo.containsKey(index)) {
            throw error("memo entry " + index + " read before it was written");
        }
        return memo.get(index);
    }

    private long long1() {
        int n = u8();
        if (n > 8) {
            throw error("LONG1 of " + n + " bytes is larger than any value a state dict needs");
        }
        ByteBuffer b = need(n);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b.get() & 0xffL) << (8 * i);
        }
        if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
            v -= 1L << (8 * n); // two's complement sign
        }
        return v;
    }

    private byte[] bytes(long len) {
        ByteBuffer b = need(len);
        byte[] out = new byte[(int) len];
        b.get(out);
        return out;
    }

    private String string(long len) {
        ByteBuffer b = need(len);
        byte[] bytes = new byte[(int) len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** GLOBAL's newline-terminated ASCII argument. */
    private String line() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining()) {
                throw error("GLOBAL argument is truncated");
            }
            byte c = in.get();
            if (c == '\n') {
                return sb.toString();
            }
            if (sb.length() > 256) {
                throw error("GLOBAL argument is longer than any module or name");
            }
            sb.append((char) (c & 0xff));
        }
    }

    private int u8() {
        return need(1).get() & 0xff;
    }

    private long u32(String op) {
        return need(4).getInt() & 0xffffffffL;
    }

    private long u64(String op) {
        long v = need(8).getLong();
        if (v < 0) {
            throw error(op + " length " + Long.toUnsignedString(v) + " is impossible");
        }
        return v;
    }

    private void checkFrame(long n) {
        // A FRAME header's length is only a hint; check it is plausible and read on.
        if (n > in.remaining()) {
            throw error("FRAME of " + n + " bytes but only " + in.remaining() + " remain (truncated)");
        }
    }

    /**
     * The next {@code n} bytes as a little-endian view, advancing past them. Declared lengths are
     * checked against what is actually left, so a huge length is an error, never an allocation.
     */
    private ByteBuffer need(long n) {
        if (n > in.remaining()) {
            throw error("pickle declares " + n + " bytes at byte " + in.position() + " but only "
                    + in.remaining() + " remain (truncated or corrupt)");
        }
        ByteBuffer b = in.slice(in.position(), (int) n).order(ByteOrder.LITTLE_ENDIAN);
        in.position(in.position() + (int) n);
        return b;
    }

    private void push(Object o) {
        stack.add(o);
    }

    private Object top() {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> pop(int n) {
        int from = stack.size() - n;
        int lastMark = marks.isEmpty() ? -1 : marks.get(marks.size() - 1);
        if (from < 0 || from <= lastMark) {
            throw error("stack underflow");
        }
        List<Object> sub = stack.subList(from, stack.size());
        List<Object> out = new ArrayList<>(sub);
        sub.clear();
        return out;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw error("no MARK on the stack");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> sub = stack.subList(m + 1, stack.size());
        List<Object> out = new ArrayList<>(sub);
        stack.subList(m, stack.size()).clear();
        return out;
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(items);
    }

    private Map<Object, Object> dict(List<Object> items) {
        if (items.size() % 2 != 0) {
            throw error("odd number of items for a dict");
        }
        Map<Object, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i += 2) {
            d.put(items.get(i), items.get(i + 1));
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asDict(Object o, String op) {
        if (!(o instanceof LinkedHashMap<?, ?>) || o instanceof PickledData.Namespace) {
            throw error(op + " on " + describe(o) + ", not a dict");
        }
        return (Map<Object, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object o, String op) {
        if (!(o instanceof ArrayList<?>)) {
            throw error(op + " on " + describe(o) + ", not a list");
        }
        return (List<Object>) o;
    }

    private static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return g.toString();
        }
        if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        }
        // Containers by size only: a pickle can build cycles, and printing one would never end.
        if (o instanceof List<?> l) {
            return "a tuple or list of " + l.size() + " items";
        }
        if (o instanceof Map<?, ?> m) {
            return "a dict of " + m.size() + " items";
        }
        if (o instanceof String str) {
            return "'" + (str.length() > 80 ? str.substring(0, 80) + "..." : str) + "'";
        }
        return o.getClass().getSimpleName() + " " + o;
    }

    private static String printable(int op) {
        return op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "";
    }

    private CheckpointException error(String what) {
        return new CheckpointException(source + ": bad checkpoint pickle: " + what);
    }
}
