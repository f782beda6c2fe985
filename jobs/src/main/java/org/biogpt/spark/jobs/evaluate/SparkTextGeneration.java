package org.biogpt.spark.jobs.evaluate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.batch.TokenBudgetBatcher;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.model.BioGptModel;
import org.biogpt.spark.core.task.ModelTextGenerator;
import org.biogpt.spark.core.task.Prompt;
import org.biogpt.spark.core.task.TextGenerationBackend;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.device.DeviceSelector;
import org.biogpt.spark.udfs.model.ModelCache;
import org.biogpt.spark.udfs.model.ModelPaths;
import org.biogpt.spark.udfs.model.ModelSpec;
import scala.Tuple2;

/**
 * Task prompts generated on Spark executors: the prompt ids (built on the driver exactly as the
 * in-process path builds them) are spread over partitions, each executor generates with its cached
 * model and the same {@link ModelTextGenerator} configuration, and the texts come back in prompt
 * order. So a Spark run and a core run of {@code evaluate} give the same predictions.
 */
public final class SparkTextGeneration implements TextGenerationBackend {
    private final SparkSession spark;
    private final ModelSpec spec;
    private final BioGptTokenizer tokenizer;
    private final int batchSize;
    private final int partitions;

    public SparkTextGeneration(SparkSession spark, ModelSpec spec, BioGptTokenizer tokenizer, int batchSize, int partitions) {
        this.spark = spark;
        this.spec = spec;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.partitions = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
    }

    @Override
    public List<String> generate(List<Prompt> prompts) {
        // Deal the prompts round-robin by length so every partition gets a similar mix of lengths.
        Integer[] order = new Integer[prompts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(prompts.get(a).ids().length, prompts.get(b).ids().length));
        List<List<Tuple2<Integer, int[]>>> slices = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            slices.add(new ArrayList<>());
        }
        for (int k = 0; k < order.length; k++) {
            slices.get(k % partitions).add(new Tuple2<>(order[k], prompts.get(order[k]).ids()));
        }
        List<Tuple2<Integer, int[]>> dealt = new ArrayList<>();
        slices.forEach(dealt::addAll);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<BioGptTokenizer> tok = jsc.broadcast(tokenizer);
        JavaRDD<Tuple2<Integer, int[]>> rdd = jsc.parallelize(dealt, partitions);
        List<Tuple2<Integer, String>> generated = rdd
                .mapPartitions(new GeneratePartition(spec, tok, batchSize))
                .collect();
        String[] texts = new String[prompts.size()];
        for (Tuple2<Integer, String> t : generated) {
            texts[t._1()] = t._2();
        }
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] == null) {
                throw new IllegalStateException("no generated text came back for prompt " + i);
            }
        }
        return Arrays.asList(texts);
    }

    /** One partition's prompts through the executor's cached model. */
    private record GeneratePartition(ModelSpec spec, Broadcast<BioGptTokenizer> tokenizer, int batchSize)
            implements FlatMapFunction<Iterator<Tuple2<Integer, int[]>>, Tuple2<Integer, String>>, Serializable {

        @Override
        public Iterator<Tuple2<Integer, String>> call(Iterator<Tuple2<Integer, int[]>> rows) {
            List<Integer> indices = new ArrayList<>();
            List<Prompt> prompts = new ArrayList<>();
            rows.forEachRemaining(r -> {
                indices.add(r._1());
                prompts.add(new Prompt("", r._2(), r._2().length, false, 0));
            });
            if (prompts.isEmpty()) {
                return List.<Tuple2<Integer, String>>of().iterator();
            }
            BioGptModel model = ModelCache.acquire(spec, DeviceSelector.forCurrentTask(spec.device())).model();
            GenerationConfig config = ModelTextGenerator.taskDefaults(
                    GenerationConfig.load(ModelPaths.localise(spec.path())), model);
            IntConsumer quiet = done -> { };
            List<String> texts;
            try (ModelTextGenerator generator = new ModelTextGenerator(model, tokenizer.value(), config,
                    new TokenBudgetBatcher(batchSize, 16384), quiet)) {
                texts = generator.generate(prompts);
            }
            List<Tuple2<Integer, String>> out = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                out.add(new Tuple2<>(indices.get(i), texts.get(i)));
            }
            return out.iterator();
        }
    }
}
