package org.biogpt.spark.pipeline;

import java.util.List;
import org.biogpt.spark.core.model.Batch;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.task.AggregationStrategy;
import org.biogpt.spark.core.task.Classification;
import org.biogpt.spark.core.task.EntitySpan;
import org.biogpt.spark.core.task.EntitySpanDecoder;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.Encoding;

/** Expected values: each text alone through core (no batching, no Spark). */
final class Direct {
    private Direct() {
    }

    static BioGptTokenizer tokenizer(String folder) {
        return BioGptTokenizer.load(Fixtures.model(folder));
    }

    static long[] ids(Encoding e) {
        long[] out = new long[e.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = e.ids()[i];
        }
        return out;
    }

    static List<EntitySpan> entities(String text, int maxTokens) {
        return entities(text, maxTokens, AggregationStrategy.SIMPLE);
    }

    static List<EntitySpan> entities(String text, int maxTokens, AggregationStrategy strategy) {
        BioGptModel model = Fixtures.direct(Fixtures.TOKEN_CLS);
        Encoding e = tokenizer(Fixtures.TOKEN_CLS).encode(text).truncate(maxTokens);
        float[][] logits = model.classifyTokens(Batch.of(ids(e)))[0];
        return new EntitySpanDecoder(model.config().id2label()).decode(text, e, logits, strategy);
    }

    static Classification classify(String text) {
        BioGptModel model = Fixtures.direct(Fixtures.SEQUENCE_CLS);
        Encoding e = tokenizer(Fixtures.SEQUENCE_CLS).encode(text);
        return Classification.of(model.classifySequences(Batch.of(ids(e)))[0], model.config().id2label(), false);
    }

    static float[] embed(String folder, String text, boolean mean) {
        BioGptModel model = Fixtures.direct(folder);
        Encoding e = tokenizer(folder).encode(text);
        var pooled = model.embed(Batch.of(ids(e)));
        return mean ? pooled.mean()[0] : pooled.last()[0];
    }
}
