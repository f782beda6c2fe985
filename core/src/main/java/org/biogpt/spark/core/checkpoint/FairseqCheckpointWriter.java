package org.biogpt.spark.core.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a checkpoint file as fairseq 0.12's trainer saves it with {@code torch.save}: a zip of
 * {@code <name>/data.pkl} (protocol 2) and one stored record per storage. The pickle holds
 * {@code args} None, {@code cfg} (model and task sections as given), {@code model} (the decoder
 * tensors, {@code decoder.output_projection.weight} sharing the embedding's storage or, as
 * fairseq's average_checkpoints.py leaves it, a copy of its own, and {@code decoder.version}),
 * {@code optimizer_history}, {@code extra_state} with numpy meters, and optionally an Adam-like
 * {@code last_optimizer_state} (two float32 moments as long as all parameters, zeros: as large
 * as a real one, which is what a loader must not read). For tests and offline load measurements
 * of the microsoft/BioGPT layout.
 */
public final class FairseqCheckpointWriter {
    private static final String EMBED = "decoder.embed_tokens.weight";

    /** One zip record: its name and a deterministic writer of its bytes (run twice: CRC, then data). */
    private record Record(String name, long size, Source source) {
    }

    @FunctionalInterface
    private interface Source {
        void write(TensorEncoder.Sink sink) throws IOException;
    }

    private FairseqCheckpointWriter() {
    }

    /**
     * Writes {@code file}; {@code decoder} maps fairseq names ({@code decoder.*}) to values, the
     * output projection excluded (it is the embedding). Returns the file's size.
     */
    public static long write(Path file, LinkedHashMap<String, ? extends TensorData> decoder, DType dtype,
                             Map<String, Object> cfgModel, Map<String, Object> cfgTask, boolean sharedHead,
                             boolean optimizerState) {
        if (!decoder.containsKey(EMBED)) {
            throw new IllegalArgumentException("no " + EMBED + " among the tensors to write");
        }
        String storageType = switch (dtype) {
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
        };
        String archive = file.getFileName().toString().replaceFirst("\\.pt$", "");
        List<Record> records = new ArrayList<>();
        Map<String, Object> model = new LinkedHashMap<>();
        long params = 0;
        String embedKey = null;
        for (Map.Entry<String, ? extends TensorData> e : decoder.entrySet()) {
            String key = String.valueOf(records.size());
            TensorData t = e.getValue();
            model.put(e.getKey(), tensor(key, storageType, t.shape()));
            records.add(storageRecord(archive, key, t, dtype));
            params += t.numel();
            if (e.getKey().equals(EMBED)) {
                embedKey = key;
            }
        }
        TensorData embed = decoder.get(EMBED);
        String headKey = embedKey;
        if (!sharedHead) {
            headKey = String.valueOf(records.size());
            records.add(storageRecord(archive, headKey, embed, dtype));
        }
        model.put("decoder.output_projection.weight", tensor(headKey, storageType, embed.shape()));
        String versionKey = String.valueOf(records.size());
        records.add(storageRecord(archive, versionKey, TensorData.of(new float[] {3f}, 1), DType.F32));
        model.put("decoder.version", tensor(versionKey, "FloatStorage", new long[] {1}));

        Map<String, Object> root = new LinkedHashMap<>();
        root.put("args", null);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("_name", null);
        cfg.put("model", cfgModel);
        cfg.put("task", cfgTask);
        root.put("cfg", cfg);
        root.put("model", new PickleWriter.OrderedDict(model));
        root.put("criterion", null);
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("criterion_name", "CrossEntropyCriterion");
        history.put("optimizer_name", "FP16Optimizer");
        history.put("lr_scheduler_state", Map.of("best", new PickleWriter.NumpyFloat64(1.875)));
        history.put("num_updates", 1000L);
        root.put("optimizer_history", List.of(history));
        root.put("task_state", Map.of());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("best", new PickleWriter.NumpyFloat64(1.875));
        extra.put("train_iterator", Map.of("epoch", 10L, "iterations_in_epoch", 0L, "shuffle", true));
        extra.put("val_loss", new PickleWriter.NumpyFloat64(1.875));
        root.put("extra_state", extra);
        if (optimizerState) {
            Map<String, Object> moments = new LinkedHashMap<>();
            for (String name : List.of("exp_avg", "exp_avg_sq")) {
                String key = String.valueOf(records.size());
                records.add(zeros(archive, key, params * 4));
                moments.put(name, tensor(key, "FloatStorage", new long[] {params}));
            }
            moments.put("step", 1000L);
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("state", Map.of(0L, moments));
            state.put("param_groups", List.of(Map.of("lr", 1e-5, "params", List.of(0L))));
            state.put("loss_scale", 128.0);
            root.put("last_optimizer_state", state);
        }
        byte[] pickle = PickleWriter.write(root);
        records.add(0, new Record(archive + "/data.pkl", pickle.length, sink -> sink.accept(ByteBuffer.wrap(pickle))));
        byte[] order = "little".getBytes(StandardCharsets.US_ASCII);
        records.add(1, new Record(archive + "/byteorder", order.length, sink -> sink.accept(ByteBuffer.wrap(order))));
        byte[] version = "3\n".getBytes(StandardCharsets.US_ASCII);
        records.add(new Record(archive + "/version", version.length, sink -> sink.accept(ByteBuffer.wrap(version))));
        writeZip(file, records);
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new CheckpointException("cannot stat " + file, e);
        }
    }

    private static PickleWriter.Tensor tensor(String key, String storageType, long[] shape) {
        long numel = 1;
        long[] stride = new long[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = numel;
            numel *= shape[i];
        }
        return new PickleWriter.Tensor(key, storageType, numel, 0, shape.clone(), stride);
    }

    private static Record storageRecord(String archive, String key, TensorData t, DType dtype) {
        TensorEncoder encoder = new TensorEncoder(dtype);
        return new Record(archive + "/data/" + key, t.numel() * dtype.bytes, sink -> encoder.encode(t, sink));
    }

    private static Record zeros(String archive, String key, long bytes) {
        return new Record(archive + "/data/" + key, bytes, sink -> {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            for (long left = bytes; left > 0; left -= chunk.capacity()) {
                sink.accept(chunk.clear().limit((int) Math.min(chunk.capacity(), left)));
            }
        });
    }

    /** STORED records (CRC computed in a first pass), zip64 where sizes need it, written to a temporary file then renamed. */
    private static void writeZip(Path file, List<Record> records) {
        AtomicFile.write(file, tmp -> {
            try (OutputStream fos = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
                 ZipOutputStream zip = new ZipOutputStream(fos)) {
                for (Record r : records) {
                    CRC32 crc = new CRC32();
                    r.source().write(crc::update);
                    ZipEntry e = new ZipEntry(r.name());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(r.size());
                    e.setCompressedSize(r.size());
                    e.setCrc(crc.getValue());
                    e.setTime(315532800000L); // 1980-01-01, as torch writes it: the same bytes on every run
                    zip.putNextEntry(e);
                    r.source().write(chunk -> zip.write(chunk.array(), chunk.arrayOffset() + chunk.position(),
                            chunk.remaining()));
                    zip.closeEntry();
                }
            }
        });
    }
}
