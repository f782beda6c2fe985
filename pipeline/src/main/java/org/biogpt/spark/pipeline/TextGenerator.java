package org.biogpt.spark.pipeline;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.biogpt.spark.core.task.GenerateTask;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * Continues any prompt column (default "prompt") with a causal-LM checkpoint and the decoding
 * params: {@code struct<text: string, num_tokens: int, score: double, stop_reason: string>}, where
 * text is the new tokens only, score their log-probability score (beam score with numBeams &gt; 1)
 * and stop_reason eos or max_length.
 */
public final class TextGenerator extends GeneratingStage<TextGenerator> {
    public TextGenerator(String uid) {
        super(uid, "generated");
        setDefault(inputCol(), "prompt");
    }

    public TextGenerator() {
        this(Identifiable.randomUID("biogptTextGenerator"));
    }

    @Override
    StageTask<?> stageTask() {
        return new StageTask<>(new GenerateTask(decoding()), sequences -> SparkValues.generated(sequences.get(0)),
                OutputTypes.GENERATED);
    }

    @Override
    public TextGenerator copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<TextGenerator> read() {
        return new DefaultParamsReader<>();
    }

    public static TextGenerator load(String path) {
        return read().load(path);
    }
}
