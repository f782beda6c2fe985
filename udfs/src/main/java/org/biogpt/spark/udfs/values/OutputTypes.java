package org.biogpt.spark.udfs.values;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Spark types of the result columns, shared by the ML stages and the SQL functions. */
public final class OutputTypes {
    /** Char span of a token in the original text, {@code [start, end)}. */
    public static final StructType OFFSET = new StructType()
            .add("start", DataTypes.IntegerType, false)
            .add("end", DataTypes.IntegerType, false);

    /** Tokenizer output: ids (BOS first), vocabulary tokens, char offsets, and the token count. */
    public static final StructType TOKENS = new StructType()
            .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
            .add("tokens", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("offsets", DataTypes.createArrayType(OFFSET, false), false)
            .add("length", DataTypes.IntegerType, false);

    /** One entity: type, char span, covered text, mean label probability. */
    public static final StructType ENTITY = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("start", DataTypes.IntegerType, false)
            .add("end", DataTypes.IntegerType, false)
            .add("text", DataTypes.StringType, false)
            .add("score", DataTypes.DoubleType, false);

    public static final ArrayType ENTITIES = DataTypes.createArrayType(ENTITY, false);

    /** Document label and the probability of every label. */
    public static final StructType CLASSIFICATION = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("probabilities", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false);

    /** Embeddings: an {@code ml.linalg.Vector}, from the BioGptEmbedder stage and biogpt_embed alike. */
    public static final DataType EMBEDDING = org.apache.spark.ml.linalg.SQLDataTypes.VectorType();

    /**
     * What a SQL function returns: its result, or null and the reason the row has none (SQL has no
     * second output column, so the stages' {@code <outputCol>_error} travels in the same struct).
     */
    public static StructType withError(DataType result) {
        return new StructType().add("result", result, true).add("error", DataTypes.StringType, true);
    }

    /** One relation triple, typed, with the char spans of its names in the input text (-1 when absent). */
    public static final StructType RELATION = new StructType()
            .add("head", DataTypes.StringType, false)
            .add("head_type", DataTypes.StringType, false)
            .add("relation", DataTypes.StringType, false)
            .add("tail", DataTypes.StringType, false)
            .add("tail_type", DataTypes.StringType, false)
            .add("head_start", DataTypes.IntegerType, false)
            .add("head_end", DataTypes.IntegerType, false)
            .add("tail_start", DataTypes.IntegerType, false)
            .add("tail_end", DataTypes.IntegerType, false);

    /** Relations of a document, the clauses that did not parse, the generated text, whether the source was cut. */
    public static final StructType RELATIONS = new StructType()
            .add("relations", DataTypes.createArrayType(RELATION, false), false)
            .add("unparsed", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("generated", DataTypes.StringType, false)
            .add("truncated", DataTypes.BooleanType, false);

    /** A PubMedQA answer: label, every label's probability, the generated text (null unless generating). */
    public static final StructType ANSWER = new StructType()
            .add("label", DataTypes.StringType, false)
            .add("probabilities", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false)
            .add("text", DataTypes.StringType, true);

    /** Generated text, its new-token count, its log-probability score and why it stopped. */
    public static final StructType GENERATED = new StructType()
            .add("text", DataTypes.StringType, false)
            .add("num_tokens", DataTypes.IntegerType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("stop_reason", DataTypes.StringType, false);

    private OutputTypes() {
    }
}
