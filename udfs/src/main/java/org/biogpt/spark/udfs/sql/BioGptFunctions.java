package org.biogpt.spark.udfs.sql;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.model.DriverCheckpoint;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.biogpt.spark.udfs.model.TaskThreads;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.partition.ModelTask;
import org.biogpt.spark.udfs.partition.SparkValueConverter;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.biogpt.spark.udfs.tasks.AnswerTask;
import org.biogpt.spark.udfs.tasks.ClassifyTask;
import org.biogpt.spark.udfs.tasks.Decoding;
import org.biogpt.spark.udfs.tasks.RelationResult;
import org.biogpt.spark.udfs.tasks.RelationTask;
import org.biogpt.spark.udfs.tasks.EmbedTask;
import org.biogpt.spark.udfs.tasks.EntityTask;
import org.biogpt.spark.udfs.tasks.TokenizeTask;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * BioGPT as Spark SQL functions:
 * <pre>
 * BioGptFunctions.register(spark, FunctionOptions.of("/models/biogpt-ner"));
 * SELECT pmid, biogpt_entities(abstract) FROM abstracts
 * </pre>
 * <ul>
 *   <li>{@code biogpt_tokenize(text)} → struct&lt;ids, tokens, offsets, length&gt;</li>
 *   <li>{@code biogpt_entities(text)} → array&lt;struct&lt;label, start, end, text, score&gt;&gt;</li>
 *   <li>{@code biogpt_classify(text)} → struct&lt;label, probabilities: map&lt;string, double&gt;&gt;</li>
 *   <li>{@code biogpt_embed(text)} → array&lt;double&gt; ({@code array_to_vector} makes an ML vector)</li>
 *   <li>{@code biogpt_relations(text, task)} → struct&lt;relations: array&lt;struct&lt;head, head_type, relation, tail,
 *       tail_type, head_start, head_end, tail_start, tail_end&gt;&gt;, unparsed, generated, truncated&gt;, task = bc5cdr,
 *       ddi, kd-dti or a JSON task definition / definitions file (greedy, {@code maxNewTokens} new tokens)</li>
 *   <li>{@code biogpt_answer(question, context)} → struct&lt;label, probabilities: map&lt;string, double&gt;, text&gt;
 *       (PubMedQA, labels scored; text is null)</li>
 * </ul>
 * The functions run one row per model call; the ML stages ({@code org.biogpt.spark.pipeline})
 * sort a partition by length and batch it, which is much faster on CPU and GPU alike. A row that
 * cannot be processed (null, empty, too long under truncation=error) gives NULL; the stages also
 * return the reason. Values are identical to the stages'.
 */
public final class BioGptFunctions {
    /** Model-call batching does not apply to a single row; these only bound the one call. */
    private static final int ONE_ROW = 1;
    private static final int UNBOUNDED_TOKENS = Integer.MAX_VALUE;

    private BioGptFunctions() {
    }

    public static void register(SparkSession spark, FunctionOptions options) {
        int threads = TaskThreads.resolve(options.numThreads(), spark.sparkContext().getConf());
        register(spark, "biogpt_tokenize", options, options.modelPath(), threads, new TokenizeTask(),
                SparkValues::tokens, OutputTypes.TOKENS);
        register(spark, "biogpt_entities", options, options.entityPath(), threads, new EntityTask(),
                SparkValues::entities, OutputTypes.ENTITIES);
        register(spark, "biogpt_classify", options, options.classifierPath(), threads, new ClassifyTask(),
                SparkValues::classification, OutputTypes.CLASSIFICATION);
        register(spark, "biogpt_embed", options, options.embeddingPath(), threads, new EmbedTask(options.pooling()),
                SparkValues::embeddingArray, OutputTypes.EMBEDDING_ARRAY);

        Decoding decoding = Decoding.greedy(options.maxNewTokens());
        AnswerTask answer = new AnswerTask(TaskDefinitions.builtIn(TaskDefinitions.PUBMEDQA), decoding, false);
        spark.udf().register("biogpt_answer", FieldsFunction.ofFields(settings(options, options.answerPath(), threads),
                broadcast(spark, options.answerPath()), answer, new int[] {1, 0}, SparkValues::answer), OutputTypes.ANSWER);
        spark.udf().register("biogpt_relations", FieldsFunction.<RelationResult>ofTaskArgument(
                settings(options, options.relationPath(), threads), broadcast(spark, options.relationPath()),
                task -> new RelationTask(TaskDefinitions.resolve(task), decoding), SparkValues::relations),
                OutputTypes.RELATIONS);
    }

    private static Broadcast<BioGptTokenizer> broadcast(SparkSession spark, String path) {
        BioGptTokenizer tokenizer = DriverCheckpoint.open(path).tokenizer();
        return JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(tokenizer);
    }

    private static InferenceSettings settings(FunctionOptions options, String path, int threads) {
        ModelSpec spec = new ModelSpec(DriverCheckpoint.open(path).executorPath(), options.device(), threads, options.truncation());
        return new InferenceSettings(spec, ONE_ROW, UNBOUNDED_TOKENS, options.maxInputTokens(), ONE_ROW);
    }

    private static <R> void register(SparkSession spark, String name, FunctionOptions options, String path, int threads,
                                     ModelTask<R> task, SparkValueConverter<R> converter, DataType type) {
        spark.udf().register(name, new TextFunction<>(settings(options, path, threads), broadcast(spark, path), task,
                converter), type);
    }
}
