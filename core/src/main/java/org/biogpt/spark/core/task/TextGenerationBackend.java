package org.biogpt.spark.core.task;

import java.util.List;

/**
 * Whatever turns prompts into generated texts (the decoder over the model, in-process or on
 * Spark executors). Task code builds {@link Prompt}s and parses the returned texts; it never
 * depends on how generation runs.
 */
public interface TextGenerationBackend extends AutoCloseable {
    /**
     * The generated text for each prompt, in order: the continuation after the prompt ids, decoded
     * (it may also repeat the source and learned tokens; {@link OutputParser} strips them).
     */
    List<String> generate(List<Prompt> prompts);

    @Override
    default void close() {
    }
}
