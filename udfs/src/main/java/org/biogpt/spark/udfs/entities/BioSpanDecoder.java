package org.biogpt.spark.udfs.entities;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.biogpt.spark.core.tokenizer.Encoding;
import org.biogpt.spark.udfs.tasks.Softmax;

/**
 * Minimal BIO decoding of token-classification logits into character spans: each token takes its
 * argmax label; {@code B-X} opens a span, {@code I-X} continues an open {@code X} span (or opens
 * one, as Hugging Face's "simple" aggregation does), {@code O} closes. A label without a B-/I-
 * prefix is its own type and continues a span of the same type. Tokens are BPE pieces with their
 * own char spans, so a span always covers whole pieces; the BOS token is skipped.
 *
 * <p>Kept on its own so the task layer's entity aggregation can replace it without touching the
 * stage or the partition machinery.
 */
public final class BioSpanDecoder {
    private static final String OUTSIDE = "O";

    private BioSpanDecoder() {
    }

    /**
     * @param text     the original text the encoding came from
     * @param encoding its tokens (position 0 is the BOS)
     * @param logits   [tokens][labels] for the encoding's tokens (at least {@code encoding.length()} rows)
     * @param id2label label names by id
     */
    public static List<EntitySpan> decode(String text, Encoding encoding, float[][] logits, Map<Integer, String> id2label) {
        List<EntitySpan> spans = new ArrayList<>();
        String openType = null;
        int openStart = 0;
        int openEnd = 0;
        double scoreSum = 0;
        int count = 0;
        for (int t = 1; t < encoding.length(); t++) {
            float[] row = logits[t];
            int best = argmax(row);
            double p = Softmax.of(row)[best];
            String label = id2label.getOrDefault(best, "LABEL_" + best);
            String type = typeOf(label);
            boolean begins = label.startsWith("B-");
            if (openType != null && (type == null || begins || !type.equals(openType))) {
                spans.add(span(text, openType, openStart, openEnd, scoreSum / count));
                openType = null;
            }
            if (type == null) {
                continue;
            }
            if (openType == null) {
                openType = type;
                openStart = encoding.starts()[t];
                scoreSum = 0;
                count = 0;
            }
            openEnd = encoding.ends()[t];
            scoreSum += p;
            count++;
        }
        if (openType != null) {
            spans.add(span(text, openType, openStart, openEnd, scoreSum / count));
        }
        return spans;
    }

    private static EntitySpan span(String text, String type, int start, int end, double score) {
        return new EntitySpan(type, start, end, text.substring(start, end), score);
    }

    /** Entity type of a label, or null for outside. */
    static String typeOf(String label) {
        if (label.equals(OUTSIDE)) {
            return null;
        }
        if (label.startsWith("B-") || label.startsWith("I-")) {
            return label.substring(2);
        }
        return label;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
