package org.biogpt.spark.udfs.partition;

import org.biogpt.spark.core.tokenizer.Encoding;

/** One row as a model task sees it: the original text and its (possibly truncated) tokens. */
public record TextInput(String text, Encoding encoding) {
    /** Token ids as the model's batches want them. */
    public long[] ids() {
        int[] ids = encoding.ids();
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}
