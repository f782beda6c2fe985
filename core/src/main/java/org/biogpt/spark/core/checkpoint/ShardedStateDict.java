package org.biogpt.spark.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A checkpoint split over several files, as Hugging Face writes it: an index JSON
 * ({@code model.safetensors.index.json} or {@code pytorch_model.bin.index.json}) whose
 * {@code weight_map} names the shard holding each tensor. Every shard is opened (and checked to
 * hold the tensors the index assigns to it) up front, so a missing shard fails at load.
 */
public final class ShardedStateDict implements StateDict {
    private final Path index;
    private final Map<String, StateDict> byTensor;
    private final List<StateDict> shards;

    private ShardedStateDict(Path index, Map<String, StateDict> byTensor, List<StateDict> shards) {
        this.index = index;
        this.byTensor = byTensor;
        this.shards = shards;
    }

    /** Opens the index and its shards; {@code openShard} reads one shard file (safetensors or .bin). */
    public static ShardedStateDict open(Path index, Function<Path, ? extends StateDict> openShard) {
        Map<String, String> weightMap = weightMap(index);
        Path dir = index.toAbsolutePath().getParent();
        Map<String, StateDict> opened = new LinkedHashMap<>();
        Map<String, StateDict> byTensor = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                String shardName = e.getValue();
                StateDict shard = opened.get(shardName);
                if (shard == null) {
                    Path file = dir.resolve(shardName).normalize();
                    if (!file.getParent().equals(dir.normalize())) {
                        throw new CheckpointException(index + ": shard '" + shardName
                                + "' is not a file name in the checkpoint directory");
                    }
                    if (!Files.isRegularFile(file)) {
                        throw new CheckpointException(index + " maps tensor '" + e.getKey() + "' to shard '"
                                + shardName + "', which does not exist in " + dir);
                    }
                    shard = openShard.apply(file);
                    opened.put(shardName, shard);
                }
                if (!shard.names().contains(e.getKey())) {
                    throw new CheckpointException(index + " maps tensor '" + e.getKey() + "' to shard '"
                            + shardName + "', which does not contain it");
                }
                byTensor.put(e.getKey(), shard);
            }
        } catch (RuntimeException ex) {
            opened.values().forEach(StateDict::close);
            throw ex;
        }
        return new ShardedStateDict(index, byTensor, new ArrayList<>(opened.values()));
    }

    private static Map<String, String> weightMap(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new CheckpointException(index + " is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode wm = root == null ? null : root.get("weight_map");
        if (wm == null || !wm.isObject() || wm.isEmpty()) {
            throw new CheckpointException(index + " has no weight_map object naming the shard of each tensor");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = wm.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(index + ": weight_map entry for '" + e.getKey()
                        + "' is not a file name");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    public Path index() {
        return index;
    }

    /** Number of shard files. */
    public int shardCount() {
        return shards.size();
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(byTensor.keySet());
    }

    @Override
    public TensorInfo info(String name) {
        return shard(name).info(name);
    }

    @Override
    public ByteBuffer float32Bytes(String name) {
        return shard(name).float32Bytes(name);
    }

    private StateDict shard(String name) {
        StateDict s = byTensor.get(name);
        if (s == null) {
            throw new CheckpointException(index + " has no tensor '" + name + "'");
        }
        return s;
    }

    @Override
    public void close() {
        shards.forEach(StateDict::close);
    }
}
