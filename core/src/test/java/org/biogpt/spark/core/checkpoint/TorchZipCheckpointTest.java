package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorchZipCheckpointTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"causal-lm", "causal-lm-bf16", "token-classification", "sequence-classification"})
    void binKeysAndSharedStoragesEqualGolden(String folder) {
        JsonNode model = Fixtures.golden().path("models").path(folder);
        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(Fixtures.model(folder).resolve("pytorch_model.bin"))) {
            List<String> expected = new ArrayList<>();
            model.path("pytorch_model_bin_keys").forEach(k -> expected.add(k.asText()));
            List<String> actual = new ArrayList<>(ckpt.names());
            assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
            Set<Set<String>> shared = new HashSet<>();
            model.path("pytorch_model_bin_shared_storage").forEach(g -> {
                Set<String> s = new HashSet<>();
                g.forEach(n -> s.add(n.asText()));
                shared.add(s);
            });
            assertEquals(shared, new HashSet<>(ckpt.sharedStorages().stream().map(HashSet::new).toList()));
        }
    }

    @Test
    void tiedEmbeddingKeysReturnIdenticalDataFromOneStorageRead() {
        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(Fixtures.model("causal-lm").resolve("pytorch_model.bin"))) {
            float[] embed = ckpt.readFloats("biogpt.embed_tokens.weight");
            float[] out = ckpt.readFloats("output_projection.weight");
            assertArrayEquals(embed, out);
            assertEquals(1, ckpt.storagesRead());
            assertTrue(ckpt.float32Bytes("output_projection.weight").isReadOnly(), "F32 data is a read-only view");
        }
    }

    @Test
    void bf16TiedEmbeddingIsAlsoReadOnce() {
        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(Fixtures.model("causal-lm-bf16").resolve("pytorch_model.bin"))) {
            assertArrayEquals(ckpt.readFloats("biogpt.embed_tokens.weight"), ckpt.readFloats("output_projection.weight"));
            assertEquals(1, ckpt.storagesRead());
        }
    }

    @Test
    void zip64ArchiveWithPaddedLocalHeadersIsRead() throws IOException {
        Path file = tmp.resolve("z64.bin");
        byte[] pickle = stateDict(Map.of("w", b -> b.tensor("FloatStorage", "0", 4, 0, new long[] {2, 2}, new long[] {2, 1})));
        ZipBytes.torch("archive", pickle, Map.of("0", f32(1f, -2f, 3.5f, 1e-3f))).zip64().localPadding(40).write(file);
        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(file)) {
            assertArrayEquals(new long[] {2, 2}, ckpt.info("w").shape());
            assertArrayEquals(new float[] {1f, -2f, 3.5f, 1e-3f}, ckpt.readFloats("w"));
        }
    }

    @Test
    void offsetWindowAndTransposedViewsOfOneStorage() throws IOException {
        Path file = tmp.resolve("views.bin");
        Map<String, java.util.function.Consumer<PickleBytes>> t = new LinkedHashMap<>();
        // storage 0..5 as a 2x3 matrix [[0,1,2],[3,4,5]]
        t.put("window", b -> b.tensor("FloatStorage", "0", 6, 2, new long[] {3}, new long[] {1}));
        t.put("transposed", b -> b.tensor("FloatStorage", "0", 6, 0, new long[] {3, 2}, new long[] {1, 3}));
        t.put("column1", b -> b.tensor("FloatStorage", "0", 6, 1, new long[] {2}, new long[] {3}));
        ZipBytes.torch("archive", stateDict(t), Map.of("0", f32(0, 1, 2, 3, 4, 5))).write(file);
        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(file)) {
            assertArrayEquals(new float[] {2, 3, 4}, ckpt.readFloats("window"));
            assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, ckpt.readFloats("transposed"));
            assertArrayEquals(new float[] {1, 4}, ckpt.readFloats("column1"));
            assertEquals(1, ckpt.storagesRead());
        }
    }

    @Test
    void halfAndBfloat16StoragesAreWidened() throws IOException {
        Path file = tmp.resolve("half.bin");
        Map<String, java.util.function.Consumer<PickleBytes>> t = new LinkedHashMap<>();
        t.put("h", b -> b.tensor("HalfStorage", "0", 3, 0, new long[] {3}, new long[] {1}));
        t.put("b", b -> b.tensor("BFloat16Storage", "1", 3, 0, new long[] {3}, new long[] {1}));
        t.put("bt", b -> b.tensor("BFloat16Storage", "1", 3, 1, new long[] {2}, new long[] {1}));
        ZipBytes.torch("archive", stateDict(t), Map.of(
                "0", u16(0x3c00, 0xc000, 0x7c00), // 1, -2, +inf
                "1", u16(0x3f80, 0xbe00, 0x4049))).write(file); // 1, -0.125, 3.140625
        try (TorchZipCheckpoint ckpt = TorchZipCheckpoint.open(file)) {
            assertEquals(DType.F16, ckpt.info("h").dtype());
            assertArrayEquals(new float[] {1f, -2f, Float.POSITIVE_INFINITY}, ckpt.readFloats("h"));
            assertEquals(DType.BF16, ckpt.info("b").dtype());
            assertArrayEquals(new float[] {1f, -0.125f, 3.140625f}, ckpt.readFloats("b"));
            assertArrayEquals(new float[] {-0.125f, 3.140625f}, ckpt.readFloats("bt"));
        }
    }

    @Test
    void integerStorageIsAnErrorNamingTheTensor() throws IOException {
        Path file = tmp.resolve("long.bin");
        byte[] pickle = stateDict(Map.of("biogpt.embed_tokens.weight",
                b -> b.tensor("LongStorage", "0", 2, 0, new long[] {2}, new long[] {1})));
        ZipBytes.torch("archive", pickle, Map.of("0", new byte[16])).write(file);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("biogpt.embed_tokens.weight") && e.getMessage().contains("LongStorage"),
                e.getMessage());
    }

    @Test
    void tensorReadingPastItsStorageIsRefused() throws IOException {
        Path file = tmp.resolve("past.bin");
        byte[] pickle = stateDict(Map.of("w", b -> b.tensor("FloatStorage", "0", 4, 1, new long[] {2, 2}, new long[] {2, 1})));
        ZipBytes.torch("archive", pickle, Map.of("0", f32(1, 2, 3, 4))).write(file);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("'w'") && e.getMessage().contains("past its storage"), e.getMessage());
    }

    @Test
    void storageSizeDisagreeingWithItsRecordIsRefused() throws IOException {
        Path file = tmp.resolve("short.bin");
        byte[] pickle = stateDict(Map.of("w", b -> b.tensor("FloatStorage", "0", 1000, 0, new long[] {1000}, new long[] {1})));
        ZipBytes.torch("archive", pickle, Map.of("0", f32(1, 2))).write(file);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("holds 8 bytes"), e.getMessage());
    }

    @Test
    void missingStorageRecordIsRefused() throws IOException {
        Path file = tmp.resolve("missing.bin");
        byte[] pickle = stateDict(Map.of("w", b -> b.tensor("FloatStorage", "7", 1, 0, new long[] {1}, new long[] {1})));
        ZipBytes.torch("archive", pickle, Map.of("0", f32(1))).write(file);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("archive/data/7") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void legacyNonZipTorchFileAsksForResaveOrSafetensors() throws IOException {
        Path file = tmp.resolve("legacy.bin");
        // torch < 1.6 wrote a pickled magic number (LONG1 0x1950a86a20f9469cfc6c) first.
        Files.write(file, new PickleBytes().proto(2).op(0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, '.').bytes());
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("legacy") && e.getMessage().contains("safetensors"), e.getMessage());
    }

    @Test
    void truncatedZipIsRefused() throws IOException {
        byte[] whole = Files.readAllBytes(Fixtures.model("causal-lm").resolve("pytorch_model.bin"));
        Path file = tmp.resolve("cut.bin");
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("end-of-central-directory"), e.getMessage());
    }

    @Test
    void stateDictValueThatIsNotATensorIsRefused() throws IOException {
        Path file = tmp.resolve("notensor.bin");
        byte[] pickle = new PickleBytes().proto(2).op('}').str("w").binint(5).op('s', '.').bytes();
        ZipBytes.torch("archive", pickle, Map.of()).write(file);
        CheckpointException e = assertThrows(CheckpointException.class, () -> TorchZipCheckpoint.open(file));
        assertTrue(e.getMessage().contains("'w' is not a tensor"), e.getMessage());
    }

    /** {name: tensor, ...} as torch.save writes it: EMPTY_DICT, MARK, key/value pairs, SETITEMS, STOP. */
    static byte[] stateDict(Map<String, java.util.function.Consumer<PickleBytes>> tensors) {
        PickleBytes b = new PickleBytes().proto(2).op('}').mark();
        tensors.forEach((name, t) -> {
            b.str(name);
            t.accept(b);
        });
        return b.op('u', '.').bytes();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    static byte[] u16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }
}
