package org.biogpt.spark.udfs.sql;

import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataType;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.run.ModelTask;
import org.biogpt.spark.core.run.RunSettings;
import org.biogpt.spark.core.task.AnswerTask;
import org.biogpt.spark.core.task.ClassifyTask;
import org.biogpt.spark.core.task.EmbedTask;
import org.biogpt.spark.core.task.Embedding;
import org.biogpt.spark.core.task.EntityTask;
import org.biogpt.spark.core.task.Pooling;
import org.biogpt.spark.core.task.RelationResult;
import org.biogpt.spark.core.task.RelationTask;
import org.biogpt.spark.core.task.TaskDefinitions;
import org.biogpt.spark.core.task.TokenizeTask;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.udfs.model.DriverCheckpoint;
import org.biogpt.spark.udfs.model.ModelSpec;
import org.biogpt.spark.udfs.model.TaskThreads;
import org.biogpt.spark.udfs.model.TokenizerBroadcasts;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.partition.SparkValueConverter;
import org.biogpt.spark.udfs.values.OutputTypes;
import org.biogpt.spark.udfs.values.SparkValues;

/**
 * BioGPT as Spark SQL functions, registered on a session from Java
 * ({@code BioGptFunctions.register(spark, FunctionOptions.of("/models/biogpt-ner"))}) or, for
 * spark-sql, the Thrift server and notebooks, by {@link BioGptSparkExtensions}
 * ({@code spark.sql.extensions}). Every function returns {@code struct<result, error>}: the result
 * has the type of the matching ML stage's column, and a row that cannot be processed (null, empty,
 * too long under truncation=error) has a null result and the reason in {@code error}.
 * <ul>
 *   <li>{@code biogpt_tokenize(text)}: result struct&lt;ids, tokens, offsets, length&gt;</li>
 *   <li>{@code biogpt_entities(text)}: array&lt;struct&lt;label, start, end, text, score&gt;&gt;</li>
 *   <li>{@code biogpt_classify(text)}: struct&lt;label, probabilities: map&lt;string, double&gt;&gt;</li>
 *   <li>{@code biogpt_embed(text)}: an {@code ml.linalg} vector, as the BioGptEmbedder stage</li>
 *   <li>{@code biogpt_relations(text, task)}: the RelationExtractor struct; task = bc5cdr, ddi, kd-dti or a
 *       JSON task definition / definitions file (greedy, {@code maxNewTokens} new tokens)</li>
 *   <li>{@code biogpt_answer(question, context)}: the PubMedQaAnswerer struct (labels scored; text is null)</li>
 * </ul>
 * The functions run one row per model call; the ML stages ({@code org.biogpt.spark.pipeline})
 * sort a partition by length and batch it, which is much faster on CPU and GPU alike. Values are
 * identical to the stages'.
 */
public final class BioGptFunctions {
    /** The functions, in the order {@link #register} adds them. */
    public static final List<String> NAMES = List.of("biogpt_tokenize", "biogpt_entities", "biogpt_classify",
            "biogpt_embed", "biogpt_relations", "biogpt_answer");

    /** Model-call batching does not apply to a single row; these only bound the one call. */
    private static final int ONE_ROW = 1;
    private static final int UNBOUNDED_TOKENS = Integer.MAX_VALUE;

    /**
     * One function: its Java UDF ({@code UDF1<String, Object>} or {@code UDF2<String, String, Object>})
     * and the {@code struct<result, error>} type it returns.
     */
    record SqlFunction(String name, Object udf, DataType type) {
        int arity() {
            return udf instanceof UDF1 ? 1 : 2;
        }
    }

    private BioGptFunctions() {
    }

    /** Registers every function on this session, each on its checkpoint (checked now, on the driver). */
    @SuppressWarnings("unchecked")
    public static void register(SparkSession spark, FunctionOptions options) {
        for (String name : NAMES) {
            SqlFunction f = create(spark, options, name);
            if (f.udf() instanceof UDF1) {
                spark.udf().register(name, (UDF1<String, Object>) f.udf(), f.type());
            } else {
                spark.udf().register(name, (UDF2<String, String, Object>) f.udf(), f.type());
            }
        }
    }

    /** The function {@code name} on its checkpoint of {@code options}. */
    static SqlFunction create(SparkSession spark, FunctionOptions options, String name) {
        int threads = TaskThreads.resolve(options.numThreads(), spark.sparkContext().getConf());
        GenerationConfig decoding = GenerationConfig.greedy(options.maxNewTokens());
        return switch (name) {
            case "biogpt_tokenize" -> text(spark, name, options, options.modelPath(), threads, new TokenizeTask(),
                    SparkValues::tokens, OutputTypes.TOKENS);
            case "biogpt_entities" -> text(spark, name, options, options.modelFor("entities"), threads, new EntityTask(),
                    SparkValues::entities, OutputTypes.ENTITIES);
            case "biogpt_classify" -> text(spark, name, options, options.modelFor("classify"), threads, new ClassifyTask(),
                    SparkValues::classification, OutputTypes.CLASSIFICATION);
            case "biogpt_embed" -> text(spark, name, options, options.modelFor("embed"), threads,
                    new EmbedTask(), pooled(options.pooling()), OutputTypes.EMBEDDING);
            case "biogpt_answer" -> {
                String path = options.modelFor("answer");
                AnswerTask answer = new AnswerTask(TaskDefinitions.builtIn(TaskDefinitions.PUBMEDQA), decoding, false);
                yield new SqlFunction(name, FieldsFunction.ofFields(generating(settings(options, path, threads), options),
                        broadcast(spark, path), answer, new int[] {1, 0}, SparkValues::answer),
                        OutputTypes.withError(OutputTypes.ANSWER));
            }
            case "biogpt_relations" -> {
                String path = options.modelFor("relations");
                yield new SqlFunction(name, FieldsFunction.<RelationResult>ofTaskArgument(
                        generating(settings(options, path, threads), options), broadcast(spark, path),
                        task -> new RelationTask(TaskDefinitions.resolve(task), decoding), SparkValues::relations),
                        OutputTypes.withError(OutputTypes.RELATIONS));
            }
            default -> throw new IllegalArgumentException("no BioGPT SQL function " + name + "; there are " + NAMES);
        };
    }

    private static SparkValueConverter<Embedding> pooled(Pooling pooling) {
        return e -> SparkValues.embeddingVector(e.pooled(pooling));
    }

    private static Broadcast<BioGptTokenizer> broadcast(SparkSession spark, String path) {
        return TokenizerBroadcasts.get(spark.sparkContext(), DriverCheckpoint.open(path));
    }

    private static InferenceSettings settings(FunctionOptions options, String path, int threads) {
        ModelSpec spec = new ModelSpec(DriverCheckpoint.open(path).executorPath(), options.device());
        return new InferenceSettings(spec, new RunSettings(ONE_ROW, UNBOUNDED_TOKENS, options.maxInputTokens(),
                options.truncation(), ONE_ROW, threads));
    }

    /**
     * A generating function's settings: its model packs the decode weights in the options' format. Only
     * there, so that the other functions share the exact (fp32) model of their checkpoint.
     */
    private static InferenceSettings generating(InferenceSettings s, FunctionOptions options) {
        return new InferenceSettings(s.model().withDecodeWeights(options.decodeWeights()), s.run());
    }

    private static <R> SqlFunction text(SparkSession spark, String name, FunctionOptions options, String path, int threads,
                                        ModelTask<R> task, SparkValueConverter<R> converter, DataType type) {
        return new SqlFunction(name, new TextFunction<>(settings(options, path, threads), broadcast(spark, path), task,
                converter), OutputTypes.withError(type));
    }
}
