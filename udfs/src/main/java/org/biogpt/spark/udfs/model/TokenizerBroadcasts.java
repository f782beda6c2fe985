package org.biogpt.spark.udfs.model;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * One tokenizer broadcast per (SparkContext, model path), reused by every transform of every
 * stage and SQL function on that checkpoint: serializing the vocabulary and merges for each transform would cost
 * every call of a pipeline or a notebook cell that again.
 */
public final class TokenizerBroadcasts {
    private static final Map<SparkContext, Map<String, Broadcast<BioGptTokenizer>>> CACHE = new WeakHashMap<>();

    private TokenizerBroadcasts() {
    }

    public static synchronized Broadcast<BioGptTokenizer> get(SparkContext sc, DriverCheckpoint checkpoint) {
        Map<String, Broadcast<BioGptTokenizer>> bySc = CACHE.computeIfAbsent(sc, k -> new HashMap<>());
        Broadcast<BioGptTokenizer> b = bySc.get(checkpoint.path());
        if (b == null || !b.isValid()) {
            b = JavaSparkContext.fromSparkContext(sc).broadcast(checkpoint.tokenizer());
            bySc.put(checkpoint.path(), b);
        }
        return b;
    }
}
