package org.biogpt.spark.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fixture split over two shards plus a Hugging Face index reads exactly like the single file. */
class ShardedCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void twoSafetensorsShardsReadLikeTheSingleFile() throws IOException {
        Path single = Fixtures.model("causal-lm").resolve("model.safetensors");
        try (SafetensorsFile in = SafetensorsFile.open(single)) {
            writeSafetensorsShards(in, DType.F32);
            try (StateDict sharded = CheckpointLoader.open(dir)) {
                ShardedStateDict s = assertInstanceOf(ShardedStateDict.class, sharded);
                assertEquals(2, s.shardCount());
                assertEquals(new java.util.TreeSet<>(in.names()), new java.util.TreeSet<>(sharded.names()));
                for (String name : in.names()) {
                    assertArrayEquals(in.info(name).shape(), sharded.info(name).shape(), name);
                    assertArrayEquals(in.readFloats(name), sharded.readFloats(name), name);
                }
            }
        }
    }

    @Test
    void twoBinShardsReadLikeTheSingleFile() throws IOException {
        Path single = Fixtures.model("causal-lm-bf16").resolve("pytorch_model.bin");
        Files.copy(single, dir.resolve("pytorch_model-00001-of-00002.bin"));
        Files.copy(single, dir.resolve("pytorch_model-00002-of-00002.bin"));
        try (TorchZipCheckpoint in = TorchZipCheckpoint.open(single)) {
            List<String> names = new ArrayList<>(in.names());
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                weightMap.put(names.get(i), "pytorch_model-0000" + (i < names.size() / 2 ? 1 : 2) + "-of-00002.bin");
            }
            writeIndex("pytorch_model.bin.index.json", weightMap);
            try (StateDict sharded = CheckpointLoader.open(dir)) {
                assertEquals(CheckpointLoader.Format.PYTORCH_BIN_SHARDED, CheckpointLoader.detect(dir));
                assertEquals(names, new ArrayList<>(sharded.names()));
                for (String name : names) {
                    assertEquals(DType.BF16, sharded.info(name).dtype());
                    assertArrayEquals(in.readFloats(name), sharded.readFloats(name), name);
                }
            }
        }
    }

    @Test
    void missingShardIsNamed() throws IOException {
        try (SafetensorsFile in = SafetensorsFile.open(Fixtures.model("causal-lm").resolve("model.safetensors"))) {
            writeSafetensorsShards(in, DType.F32);
        }
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointLoader.open(dir));
        assertTrue(e.getMessage().contains("model-00002-of-00002.safetensors")
                && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void tensorAbsentFromItsShardIsNamed() throws IOException {
        try (SafetensorsFile in = SafetensorsFile.open(Fixtures.model("causal-lm").resolve("model.safetensors"))) {
            writeSafetensorsShards(in, DType.F32);
        }
        writeIndex("model.safetensors.index.json", Map.of("biogpt.layer_norm.weight", "model-00002-of-00002.safetensors",
                "biogpt.embed_tokens.weight", "model-00002-of-00002.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointLoader.open(dir));
        assertTrue(e.getMessage().contains("does not contain it"), e.getMessage());
    }

    @Test
    void shardOutsideTheDirectoryIsRefused() throws IOException {
        writeIndex("model.safetensors.index.json", Map.of("w", "../elsewhere.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointLoader.open(dir));
        assertTrue(e.getMessage().contains("not a file name in the checkpoint directory"), e.getMessage());
    }

    @Test
    void indexWithoutWeightMapIsRefused() throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");
        CheckpointException e = assertThrows(CheckpointException.class, () -> CheckpointLoader.open(dir));
        assertTrue(e.getMessage().contains("weight_map"), e.getMessage());
    }

    /** First half of the tensors to shard 1, the rest to shard 2, with the index, as save_pretrained does. */
    private void writeSafetensorsShards(SafetensorsFile in, DType dtype) throws IOException {
        LinkedHashMap<String, TensorData> all = SafetensorsWriterTest.arrays(in);
        LinkedHashMap<String, TensorData> first = new LinkedHashMap<>();
        LinkedHashMap<String, TensorData> second = new LinkedHashMap<>();
        Map<String, String> weightMap = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, TensorData> e : all.entrySet()) {
            boolean one = i++ < all.size() / 2;
            (one ? first : second).put(e.getKey(), e.getValue());
            weightMap.put(e.getKey(), "model-0000" + (one ? 1 : 2) + "-of-00002.safetensors");
        }
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first, dtype);
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second, dtype);
        writeIndex("model.safetensors.index.json", weightMap);
    }

    private void writeIndex(String file, Map<String, String> weightMap) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.putObject("metadata").put("total_size", 0);
        ObjectNode wm = root.putObject("weight_map");
        weightMap.forEach(wm::put);
        Files.writeString(dir.resolve(file), root.toString());
    }
}
