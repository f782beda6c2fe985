package org.biogpt.spark.pipeline;

import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.generate.EarlyStopping;
import org.biogpt.spark.core.generate.GenerationConfig;
import org.biogpt.spark.core.kernel.DecodeWeights;
import org.biogpt.spark.udfs.model.DriverCheckpoint;
import org.biogpt.spark.udfs.partition.InferenceSettings;
import org.biogpt.spark.udfs.sql.FunctionOptions;

/**
 * A model stage that generates text with a causal-LM checkpoint: the decoding params of Hugging
 * Face {@code generate} (greedy by default, beam search with {@code numBeams} &gt; 1, sampling with
 * {@code doSample}). Length is {@code maxNewTokens}; a prompt must leave that many positions free
 * (else an error, or under truncation=truncate a shorter source). {@code decodeWeights} bf16 opts into
 * decode steps over bf16 weights (half the bytes streamed per step; logits drift from fp32's).
 */
public abstract class GeneratingStage<S extends GeneratingStage<S>> extends ModelStage<S> {
    private final IntParam maxNewTokens;
    private final IntParam minNewTokens;
    private final IntParam numBeams;
    private final DoubleParam lengthPenalty;
    private final Param<String> earlyStopping;
    private final IntParam noRepeatNgramSize;
    private final DoubleParam repetitionPenalty;
    private final BooleanParam doSample;
    private final DoubleParam temperature;
    private final IntParam topK;
    private final DoubleParam topP;
    private final LongParam seed;
    private final Param<String> decodeWeights;

    protected GeneratingStage(String uid, String defaultOutputCol) {
        super(uid, defaultOutputCol);
        maxNewTokens = new IntParam(this, "maxNewTokens", "most tokens to generate per row", ParamValidators.gtEq(1));
        minNewTokens = new IntParam(this, "minNewTokens", "tokens generated before eos is allowed", ParamValidators.gtEq(0));
        numBeams = new IntParam(this, "numBeams", "beam width; 1 = greedy search (or sampling)", ParamValidators.gtEq(1));
        lengthPenalty = new DoubleParam(this, "lengthPenalty", "beam scores are divided by length^lengthPenalty");
        earlyStopping = new Param<>(this, "earlyStopping", "beam search stop rule: true, false or never",
                new OneOf("earlyStopping", List.of("true", "false", "never")));
        noRepeatNgramSize = new IntParam(this, "noRepeatNgramSize", "no n-gram of this size is generated twice; 0 = off",
                ParamValidators.gtEq(0));
        repetitionPenalty = new DoubleParam(this, "repetitionPenalty", "CTRL repetition penalty; 1 = off",
                ParamValidators.gt(0));
        doSample = new BooleanParam(this, "doSample", "sample instead of taking the most probable token");
        temperature = new DoubleParam(this, "temperature", "sampling temperature", ParamValidators.gt(0));
        topK = new IntParam(this, "topK", "sample among the k most probable tokens; 0 = all", ParamValidators.gtEq(0));
        topP = new DoubleParam(this, "topP", "nucleus sampling mass", ParamValidators.inRange(0, 1, false, true));
        seed = new LongParam(this, "seed", "sampling seed (each row's draw depends only on it and the row's prompt)");
        decodeWeights = new Param<>(this, "decodeWeights", "number format of the decode kernel's weights: fp32 (exact) or "
                + "bf16 (half the bytes per decode step; logits drift from fp32's)", new OneOf("decodeWeights", List.of("fp32", "bf16")));
        setDefault(maxNewTokens, FunctionOptions.DEFAULT_MAX_NEW_TOKENS);
        setDefault(minNewTokens, 0);
        setDefault(numBeams, 1);
        setDefault(lengthPenalty, 1.0);
        setDefault(earlyStopping, "false");
        setDefault(noRepeatNgramSize, 0);
        setDefault(repetitionPenalty, 1.0);
        setDefault(doSample, false);
        setDefault(temperature, 1.0);
        setDefault(topK, 50);
        setDefault(topP, 1.0);
        setDefault(seed, 0L);
        setDefault(decodeWeights, "fp32");
    }

    public IntParam maxNewTokens() {
        return maxNewTokens;
    }

    public IntParam numBeams() {
        return numBeams;
    }

    public IntParam minNewTokens() {
        return minNewTokens;
    }

    public DoubleParam lengthPenalty() {
        return lengthPenalty;
    }

    public Param<String> earlyStopping() {
        return earlyStopping;
    }

    public IntParam noRepeatNgramSize() {
        return noRepeatNgramSize;
    }

    public DoubleParam repetitionPenalty() {
        return repetitionPenalty;
    }

    public BooleanParam doSample() {
        return doSample;
    }

    public DoubleParam temperature() {
        return temperature;
    }

    public IntParam topK() {
        return topK;
    }

    public DoubleParam topP() {
        return topP;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> decodeWeights() {
        return decodeWeights;
    }

    public int getMaxNewTokens() {
        return (Integer) $(maxNewTokens);
    }

    public S setMaxNewTokens(int v) {
        set(maxNewTokens, v);
        return self();
    }

    public int getMinNewTokens() {
        return (Integer) $(minNewTokens);
    }

    public S setMinNewTokens(int v) {
        set(minNewTokens, v);
        return self();
    }

    public int getNumBeams() {
        return (Integer) $(numBeams);
    }

    public S setNumBeams(int v) {
        set(numBeams, v);
        return self();
    }

    public double getLengthPenalty() {
        return (Double) $(lengthPenalty);
    }

    public S setLengthPenalty(double v) {
        set(lengthPenalty, v);
        return self();
    }

    public String getEarlyStopping() {
        return $(earlyStopping);
    }

    public S setEarlyStopping(String v) {
        set(earlyStopping, v);
        return self();
    }

    public int getNoRepeatNgramSize() {
        return (Integer) $(noRepeatNgramSize);
    }

    public S setNoRepeatNgramSize(int v) {
        set(noRepeatNgramSize, v);
        return self();
    }

    public double getRepetitionPenalty() {
        return (Double) $(repetitionPenalty);
    }

    public S setRepetitionPenalty(double v) {
        set(repetitionPenalty, v);
        return self();
    }

    public boolean getDoSample() {
        return (Boolean) $(doSample);
    }

    public S setDoSample(boolean v) {
        set(doSample, v);
        return self();
    }

    public double getTemperature() {
        return (Double) $(temperature);
    }

    public S setTemperature(double v) {
        set(temperature, v);
        return self();
    }

    public int getTopK() {
        return (Integer) $(topK);
    }

    public S setTopK(int v) {
        set(topK, v);
        return self();
    }

    public double getTopP() {
        return (Double) $(topP);
    }

    public S setTopP(double v) {
        set(topP, v);
        return self();
    }

    public long getSeed() {
        return (Long) $(seed);
    }

    public S setSeed(long v) {
        set(seed, v);
        return self();
    }

    public String getDecodeWeights() {
        return $(decodeWeights);
    }

    public S setDecodeWeights(String v) {
        set(decodeWeights, v);
        return self();
    }

    /**
     * The decoding params as core's one decoding config (the only place the params are mapped to it);
     * combinations are checked here (e.g. beams with sampling). Length is always max_new_tokens, never
     * max_length, which would count the padded width and make a row's result depend on its batch.
     */
    public GenerationConfig decoding() {
        GenerationConfig config = GenerationConfig.defaults()
                .withMaxNewTokens(getMaxNewTokens())
                .withMinNewTokens(getMinNewTokens())
                .withNumBeams(getNumBeams())
                .withLengthPenalty(getLengthPenalty())
                .withNoRepeatNgramSize(getNoRepeatNgramSize())
                .withRepetitionPenalty(getRepetitionPenalty())
                .withDoSample(getDoSample())
                .withTemperature(getTemperature())
                .withTopK(getTopK())
                .withTopP(getTopP())
                .withSeed(getSeed());
        try {
            config = config.withEarlyStopping(EarlyStopping.parse(getEarlyStopping()));
            // The checkpoint's special ids are set on the executor; BioGPT's (eos 2, pad 1, bos 0) stand in
            // here, so that checks needing an eos (beam search, min_new_tokens) can run before any task.
            config.withSpecialIdsIfUnset(2, 1, 0).validate();
            return config;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(stageName() + ": bad decoding params: " + e.getMessage(), e);
        }
    }

    @Override
    String requiredArchitecture() {
        return "BioGptForCausalLM";
    }

    /** The model stage's settings, with the decode-weight format (part of the model's cache key) from this stage's param. */
    @Override
    InferenceSettings settings(SparkSession spark, DriverCheckpoint checkpoint) {
        InferenceSettings s = super.settings(spark, checkpoint);
        return new InferenceSettings(s.model().withDecodeWeights(DecodeWeights.parse(getDecodeWeights())), s.run());
    }

    /** Whether this stage's rows generate (and so need maxNewTokens positions after the prompt). */
    boolean generates() {
        return true;
    }

    /** maxNewTokens must leave the model's positions room for a prompt (BOS and at least one token). */
    @Override
    void checkCheckpoint(DriverCheckpoint checkpoint) {
        super.checkCheckpoint(checkpoint);
        int positions = checkpoint.config().maxPositions();
        if (generates() && getMaxNewTokens() > positions - 2) {
            throw new IllegalArgumentException(stageName() + ": param maxNewTokens is " + getMaxNewTokens()
                    + " but model '" + checkpoint.path() + "' has " + positions
                    + " positions, prompt included: set maxNewTokens to at most " + (positions - 2)
                    + " (and below the longest prompt's room)");
        }
    }

    @Override
    void checkInputs(StructType schema) {
        decoding();
    }
}
