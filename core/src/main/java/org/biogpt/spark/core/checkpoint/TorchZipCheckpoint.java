package org.biogpt.spark.core.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A {@code pytorch_model.bin} written by {@code torch.save} (zip format, torch >= 1.6): a pickle
 * {@code <archive>/data.pkl} describing each tensor as a window of a storage, and one record
 * {@code <archive>/data/<key>} per storage. The pickle is read by {@link RestrictedUnpickler}
 * (no code can run); STORED storage records are memory-mapped where they lie, once per storage,
 * so keys sharing a storage (the tied embedding) share one mapping.
 */
public final class TorchZipCheckpoint implements StateDict {
    /** data.pkl of a state dict is kilobytes; anything this large is not one. */
    private static final long MAX_PICKLE = 256L * 1024 * 1024;
    /** Compressed storage records are inflated on the heap, so only small ones. */
    private static final long MAX_INFLATED_STORAGE = 64L * 1024 * 1024;

    private record Tensor(TensorInfo info, TensorRef ref) {
    }

    private final Path path;
    private final FileChannel channel;
    private final ZipDirectory zip;
    private final String prefix;
    private final Map<String, Tensor> tensors;
    private final Map<String, ByteBuffer> storages = new ConcurrentHashMap<>();
    private final AtomicInteger storagesRead = new AtomicInteger();

    private TorchZipCheckpoint(Path path, FileChannel channel, ZipDirectory zip, String prefix,
                               Map<String, Tensor> tensors) {
        this.path = path;
        this.channel = channel;
        this.zip = zip;
        this.prefix = prefix;
        this.tensors = tensors;
    }

    public static TorchZipCheckpoint open(Path path) {
        return open(path, root -> root);
    }

    /**
     * Opens a {@code torch.save} file whose state dict is one part of the pickled object (a fairseq
     * checkpoint keeps it under "model"): {@code stateDictOf} receives the unpickled root and
     * returns that part. The rest of the pickle (optimizer state, meters) is never checked or
     * mapped; its tensors are only small references, dropped with the root.
     */
    static TorchZipCheckpoint open(Path path, Function<Object, Object> stateDictOf) {
        return CheckpointChannel.open(path, ch -> {
            checkNotLegacy(path, ch);
            ZipDirectory zip = ZipDirectory.read(path, ch);
            String prefix = archivePrefix(path, zip);
            checkByteOrder(path, ch, zip, prefix);
            byte[] pickle = readSmallEntry(path, ch, zip.get(prefix + "data.pkl"), MAX_PICKLE);
            Object root = RestrictedUnpickler.load(path + " (" + prefix + "data.pkl)", pickle);
            Map<String, Tensor> tensors = stateDict(path, zip, prefix, stateDictOf.apply(root));
            return new TorchZipCheckpoint(path, ch, zip, prefix, tensors);
        });
    }

    /** torch.save before 1.6 (and _use_new_zipfile_serialization=False) wrote a bare pickle stream. */
    private static void checkNotLegacy(Path path, FileChannel ch) throws IOException {
        if (ch.size() < 4) {
            throw new CheckpointException(path + ": " + ch.size() + " bytes is not a PyTorch checkpoint");
        }
        int magic = CheckpointChannel.readAt(ch, 0, 4).getInt(0);
        if (magic == 0x04034b50) {
            return;
        }
        if ((magic & 0xff) == 0x80) {
            throw new CheckpointException(path + " is a legacy (non-zip) torch.save file, which is not supported: "
                    + "re-save it with a current torch (torch.save(torch.load(f), f)) or convert it to "
                    + "model.safetensors");
        }
        throw new CheckpointException(path + " is not a PyTorch zip checkpoint (no zip signature)");
    }

    /** The archive's single top folder, from its {@code <folder>/data.pkl} record. */
    private static String archivePrefix(Path path, ZipDirectory zip) {
        List<String> found = new ArrayList<>();
        for (String name : zip.entries().keySet()) {
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                found.add(name.substring(0, name.length() - "data.pkl".length()));
            }
        }
        if (found.size() != 1) {
            throw new CheckpointException(path + ": expected one <archive>/data.pkl record in the zip, found "
                    + found.size() + " (not a torch.save checkpoint?)");
        }
        return found.get(0);
    }

    private static void checkByteOrder(Path path, FileChannel ch, ZipDirectory zip, String prefix)
            throws IOException {
        ZipDirectory.Entry e = zip.get(prefix + "byteorder");
        if (e == null) {
            return; // torch < 1.13 wrote no byteorder record: always little-endian
        }
        String order = new String(readSmallEntry(path, ch, e, 16), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) {
            throw new CheckpointException(path + ": byteorder is '" + order + "'; only little-endian checkpoints "
                    + "are supported");
        }
    }

    private static Map<String, Tensor> stateDict(Path path, ZipDirectory zip, String prefix, Object root) {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new CheckpointException(path + ": the pickle holds no state dict (top-level object is not a dict)");
        }
        Map<String, TorchStorageType> storageTypes = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> kv : dict.entrySet()) {
            if (!(kv.getKey() instanceof String name)) {
                throw new CheckpointException(path + ": state dict key " + kv.getKey() + " is not a string");
            }
            if (!(kv.getValue() instanceof TensorRef ref)) {
                throw new CheckpointException(path + ": state dict entry '" + name + "' is not a tensor");
            }
            StorageRef s = ref.storage();
            String where = path + ": tensor '" + name + "'";
            if (s.type().dtype() == null) {
                throw new CheckpointException(where + " is stored as torch." + s.type().name()
                        + "; only FloatStorage, HalfStorage and BFloat16Storage weights are supported");
            }
            TorchStorageType seen = storageTypes.putIfAbsent(s.key(), s.type());
            if (seen != null && !seen.equals(s.type())) {
                throw new CheckpointException(where + " reads storage " + s.key() + " as " + s.type().name()
                        + " but another tensor reads it as " + seen.name());
            }
            ZipDirectory.Entry rec = zip.get(prefix + "data/" + s.key());
            if (rec == null) {
                throw new CheckpointException(where + ": storage record " + prefix + "data/" + s.key()
                        + " is missing from the archive");
            }
            long bytes;
            long end;
            try {
                bytes = Math.multiplyExact(s.numel(), s.type().elementSize());
                end = ref.storageEnd();
            } catch (ArithmeticException e) {
                throw new CheckpointException(where + " has an impossibly large size or stride");
            }
            if (rec.size() != bytes) {
                throw new CheckpointException(where + ": storage record " + s.key() + " holds " + rec.size()
                        + " bytes but the pickle declares " + s.numel() + " elements of " + s.type().name());
            }
            if (end > s.numel()) {
                throw new CheckpointException(where + " (offset " + ref.offset() + ", size "
                        + Arrays.toString(ref.size()) + ", stride " + Arrays.toString(ref.stride())
                        + ") reads past its storage of " + s.numel() + " elements");
            }
            tensors.put(name, new Tensor(new TensorInfo(name, s.type().dtype(), ref.size()), ref));
        }
        return tensors;
    }

    public Path path() {
        return path;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return tensor(name).info;
    }

    /** Groups (of two or more) of tensor names backed by one storage, e.g. a tied embedding. */
    public List<Set<String>> sharedStorages() {
        Map<String, Set<String>> byKey = new LinkedHashMap<>();
        tensors.forEach((n, t) -> byKey.computeIfAbsent(t.ref.storage().key(), k -> new LinkedHashSet<>()).add(n));
        List<Set<String>> out = new ArrayList<>();
        byKey.values().stream().filter(s -> s.size() > 1).forEach(s -> out.add(Collections.unmodifiableSet(s)));
        return out;
    }

    /** How many storage records have been mapped (or inflated) so far; each is read at most once. */
    public int storagesRead() {
        return storagesRead.get();
    }

    @Override
    public ByteBuffer float32Bytes(String name) {
        Tensor t = tensor(name);
        TensorRef ref = t.ref;
        DType dtype = t.info.dtype();
        int es = ref.storage().type().elementSize();
        ByteBuffer storage = storage(ref.storage());
        long numel = ref.numel();
        if (ref.isContiguous()) {
            long bytes = numel * es;
            if (bytes > Integer.MAX_VALUE) {
                throw new CheckpointException(path + ": tensor '" + name + "' has more than 2 GiB of data");
            }
            ByteBuffer view = storage.slice((int) (ref.offset() * es), (int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            return dtype == DType.F32 ? view : Float16.widen(view, numel, dtype);
        }
        return gather(name, storage, ref, dtype);
    }

    /** A non-contiguous tensor (e.g. saved transposed) is copied out element by element, row-major. */
    private ByteBuffer gather(String name, ByteBuffer storage, TensorRef ref, DType dtype) {
        long numel = ref.numel();
        if (numel > Integer.MAX_VALUE / 4) {
            throw new CheckpointException(path + ": non-contiguous tensor '" + name + "' is too large to copy");
        }
        ByteBuffer src = storage.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocateDirect((int) numel * 4).order(ByteOrder.LITTLE_ENDIAN);
        long[] size = ref.size();
        long[] stride = ref.stride();
        long[] idx = new long[size.length];
        long pos = ref.offset();
        for (long i = 0; i < numel; i++) {
            int at = (int) pos;
            out.putFloat(switch (dtype) {
                case F32 -> src.getFloat(at * 4);
                case F16 -> Float16.f16ToFloat(src.getShort(at * 2));
                case BF16 -> Float16.bf16ToFloat(src.getShort(at * 2));
            });
            for (int d = size.length - 1; d >= 0; d--) { // odometer increment of the index
                pos += stride[d];
                if (++idx[d] < size[d]) {
                    break;
                }
                pos -= stride[d] * size[d];
                idx[d] = 0;
            }
        }
        return out.flip();
    }

    private ByteBuffer storage(StorageRef s) {
        return storages.computeIfAbsent(s.key(), k -> readStorage(s));
    }

    private ByteBuffer readStorage(StorageRef s) {
        ZipDirectory.Entry e = zip.get(prefix + "data/" + s.key());
        String where = path + ": storage record " + e.name();
        try {
            ByteBuffer b;
            if (e.method() == ZipDirectory.STORED) {
                if (e.size() > Integer.MAX_VALUE) {
                    throw new CheckpointException(where + " is larger than 2 GiB and cannot be mapped as one buffer");
                }
                b = channel.map(FileChannel.MapMode.READ_ONLY, e.dataOffset(), e.size());
            } else {
                byte[] inflated = readSmallEntry(path, channel, e, MAX_INFLATED_STORAGE);
                b = ByteBuffer.allocateDirect(inflated.length).put(inflated).flip().asReadOnlyBuffer();
            }
            storagesRead.incrementAndGet();
            return b.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw new CheckpointException("cannot read " + where + ": " + ex.getMessage(), ex);
        }
    }

    /** Reads an entry onto the heap (the pickle, byteorder, a small compressed storage), size-capped. */
    private static byte[] readSmallEntry(Path path, FileChannel ch, ZipDirectory.Entry e, long max)
            throws IOException {
        if (e.size() > max || e.compressedSize() > max) {
            throw new CheckpointException(path + ": zip record " + e.name() + " declares " + e.size()
                    + " bytes, more than the " + max + " allowed for it"
                    + (e.method() == ZipDirectory.STORED ? "" : " compressed; re-save the checkpoint uncompressed"));
        }
        byte[] raw = new byte[(int) e.compressedSize()];
        ByteBuffer.wrap(raw).put(CheckpointChannel.readAt(ch, e.dataOffset(), raw.length));
        if (e.method() == ZipDirectory.STORED) {
            if (e.size() != e.compressedSize()) {
                throw new CheckpointException(path + ": stored zip record " + e.name() + " has inconsistent sizes");
            }
            return raw;
        }
        if (e.method() != ZipDirectory.DEFLATED) {
            throw new CheckpointException(path + ": zip record " + e.name() + " uses compression method "
                    + e.method() + " (only stored and deflated are supported)");
        }
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(raw);
            byte[] out = new byte[(int) e.size()];
            int n = 0;
            while (n < out.length && !inf.finished()) {
                int k = inf.inflate(out, n, out.length - n);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
                n += k;
            }
            if (n != out.length) {
                throw new CheckpointException(path + ": zip record " + e.name() + " inflates to " + n
                        + " bytes, not the declared " + out.length);
            }
            return out;
        } catch (DataFormatException ex) {
            throw new CheckpointException(path + ": zip record " + e.name() + " is corrupt: " + ex.getMessage());
        } finally {
            inf.end();
        }
    }

    private Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(path + " has no tensor '" + name + "'");
        }
        return t;
    }

    @Override
    public void close() {
        CheckpointChannel.closeQuietly(channel);
    }
}
