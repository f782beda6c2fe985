package org.biogpt.spark.core.generate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.biogpt.spark.core.checkpoint.CheckpointException;
import org.biogpt.spark.core.checkpoint.CheckpointLoader;
import org.biogpt.spark.core.model.BioGptConfig;

/**
 * Decoding settings with Hugging Face {@code GenerationConfig} names, defaults and precedence.
 * Immutable: every {@code with...} returns a changed copy. Combinations are checked by
 * {@link #validate()}, which {@link Generator} calls before decoding.
 *
 * <p>Length: {@code max_new_tokens} when set, otherwise {@code max_length} (default 20) minus the
 * padded prompt width, as the reference does.
 *
 * <p>This is the one decoding configuration of the project: the generating stages map their params
 * to it, the CLI its options, and it travels serialized to Spark executors.
 */
public final class GenerationConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The mutable bag behind one immutable config; copied on every {@code with...}. */
    private static final class Values implements Cloneable, Serializable {
        private static final long serialVersionUID = 1L;
        Integer maxNewTokens;
        int maxLength = 20;
        int minNewTokens;
        int minLength;
        int numBeams = 1;
        int numReturnSequences = 1;
        double lengthPenalty = 1.0;
        EarlyStopping earlyStopping = EarlyStopping.FALSE;
        int noRepeatNgramSize;
        double repetitionPenalty = 1.0;
        boolean doSample;
        double temperature = 1.0;
        int topK = 50;
        double topP = 1.0;
        long seed;
        int[] eosTokenIds = new int[0];
        Integer padTokenId;
        Integer bosTokenId;
        List<String> stopStrings = List.of();

        @Override
        protected Values clone() {
            try {
                return (Values) super.clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static final GenerationConfig DEFAULTS = new GenerationConfig(new Values());

    private final Values v;

    private GenerationConfig(Values v) {
        this.v = v;
    }

    /** Greedy decoding of at most {@code maxNewTokens} new tokens, as the original task scripts (beam 1). */
    public static GenerationConfig greedy(int maxNewTokens) {
        return DEFAULTS.withMaxNewTokens(maxNewTokens);
    }

    /** Hugging Face's defaults: greedy, max_length 20, no special ids. */
    public static GenerationConfig defaults() {
        return DEFAULTS;
    }

    /**
     * The config of a checkpoint directory: {@code generation_config.json} when present (it wins
     * entirely, as in Hugging Face), otherwise the generation keys of {@code config.json} (or of
     * a fairseq folder's equivalent, {@link CheckpointLoader#generationConfig}).
     */
    public static GenerationConfig load(Path modelDir) {
        CheckpointLoader.ConfigJson json;
        try {
            json = CheckpointLoader.generationConfig(modelDir);
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return fromJson(json.root(), json.source());
    }

    /** Reads the generation keys of a JSON object; unknown keys are ignored, null means unset. */
    public static GenerationConfig fromJson(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object");
        }
        Values v = new Values();
        JsonReader r = new JsonReader(root, source);
        v.maxNewTokens = r.integer("max_new_tokens", v.maxNewTokens);
        v.maxLength = r.integer("max_length", v.maxLength);
        v.minNewTokens = r.integer("min_new_tokens", v.minNewTokens);
        v.minLength = r.integer("min_length", v.minLength);
        v.numBeams = r.integer("num_beams", v.numBeams);
        v.numReturnSequences = r.integer("num_return_sequences", v.numReturnSequences);
        v.lengthPenalty = r.number("length_penalty", v.lengthPenalty);
        v.earlyStopping = r.earlyStopping("early_stopping", v.earlyStopping);
        v.noRepeatNgramSize = r.integer("no_repeat_ngram_size", v.noRepeatNgramSize);
        v.repetitionPenalty = r.number("repetition_penalty", v.repetitionPenalty);
        v.doSample = r.bool("do_sample", v.doSample);
        v.temperature = r.number("temperature", v.temperature);
        v.topK = r.integer("top_k", v.topK);
        v.topP = r.number("top_p", v.topP);
        v.seed = r.longValue("seed", 0L);
        v.eosTokenIds = r.intList("eos_token_id", v.eosTokenIds);
        v.padTokenId = r.integer("pad_token_id", v.padTokenId);
        v.bosTokenId = r.integer("bos_token_id", v.bosTokenId);
        v.stopStrings = r.stringList("stop_strings", v.stopStrings);
        return new GenerationConfig(v);
    }

    private GenerationConfig with(Consumer<Values> change) {
        Values copy = v.clone();
        change.accept(copy);
        return new GenerationConfig(copy);
    }

    /** This config with the checkpoint's eos, pad and bos ids wherever it sets none. */
    public GenerationConfig withSpecialIdsOf(BioGptConfig model) {
        return withSpecialIdsIfUnset(model.eosTokenId(), model.padTokenId(), model.bosTokenId());
    }

    /**
     * This config with the given eos, pad and bos ids wherever it sets none. A config that names an
     * eos but no pad keeps padding with its eos, as Hugging Face does.
     */
    public GenerationConfig withSpecialIdsIfUnset(int eos, int pad, int bos) {
        return with(c -> {
            if (c.eosTokenIds.length == 0) {
                c.eosTokenIds = new int[] {eos};
                if (c.padTokenId == null) {
                    c.padTokenId = pad;
                }
            }
            if (c.bosTokenId == null) {
                c.bosTokenId = bos;
            }
        });
    }

    /** New tokens a prompt must leave room for in the model's positions (at least one is always generated). */
    public int reservedNewTokens() {
        return v.maxNewTokens != null ? v.maxNewTokens : 1;
    }

    /** Null clears it (then max_length applies). */
    public GenerationConfig withMaxNewTokens(Integer n) {
        return with(c -> c.maxNewTokens = n);
    }

    public GenerationConfig withMaxLength(int n) {
        return with(c -> c.maxLength = n);
    }

    public GenerationConfig withMinNewTokens(int n) {
        return with(c -> c.minNewTokens = n);
    }

    public GenerationConfig withMinLength(int n) {
        return with(c -> c.minLength = n);
    }

    public GenerationConfig withNumBeams(int n) {
        return with(c -> c.numBeams = n);
    }

    public GenerationConfig withNumReturnSequences(int n) {
        return with(c -> c.numReturnSequences = n);
    }

    public GenerationConfig withLengthPenalty(double p) {
        return with(c -> c.lengthPenalty = p);
    }

    public GenerationConfig withEarlyStopping(EarlyStopping e) {
        Objects.requireNonNull(e, "early_stopping");
        return with(c -> c.earlyStopping = e);
    }

    public GenerationConfig withNoRepeatNgramSize(int n) {
        return with(c -> c.noRepeatNgramSize = n);
    }

    public GenerationConfig withRepetitionPenalty(double p) {
        return with(c -> c.repetitionPenalty = p);
    }

    public GenerationConfig withDoSample(boolean b) {
        return with(c -> c.doSample = b);
    }

    public GenerationConfig withTemperature(double t) {
        return with(c -> c.temperature = t);
    }

    public GenerationConfig withTopK(int k) {
        return with(c -> c.topK = k);
    }

    public GenerationConfig withTopP(double p) {
        return with(c -> c.topP = p);
    }

    public GenerationConfig withSeed(long s) {
        return with(c -> c.seed = s);
    }

    public GenerationConfig withEosTokenIds(int... ids) {
        int[] copy = ids.clone();
        return with(c -> c.eosTokenIds = copy);
    }

    public GenerationConfig withPadTokenId(Integer id) {
        return with(c -> c.padTokenId = id);
    }

    public GenerationConfig withBosTokenId(Integer id) {
        return with(c -> c.bosTokenId = id);
    }

    public GenerationConfig withStopStrings(List<String> stops) {
        List<String> copy = List.copyOf(stops);
        return with(c -> c.stopStrings = copy);
    }

    public Integer maxNewTokens() {
        return v.maxNewTokens;
    }

    public int maxLength() {
        return v.maxLength;
    }

    public int minNewTokens() {
        return v.minNewTokens;
    }

    public int minLength() {
        return v.minLength;
    }

    public int numBeams() {
        return v.numBeams;
    }

    public int numReturnSequences() {
        return v.numReturnSequences;
    }

    public double lengthPenalty() {
        return v.lengthPenalty;
    }

    public EarlyStopping earlyStopping() {
        return v.earlyStopping;
    }

    public int noRepeatNgramSize() {
        return v.noRepeatNgramSize;
    }

    public double repetitionPenalty() {
        return v.repetitionPenalty;
    }

    public boolean doSample() {
        return v.doSample;
    }

    public double temperature() {
        return v.temperature;
    }

    public int topK() {
        return v.topK;
    }

    public double topP() {
        return v.topP;
    }

    public long seed() {
        return v.seed;
    }

    public int[] eosTokenIds() {
        return v.eosTokenIds.clone();
    }

    public boolean isEos(int token) {
        for (int e : v.eosTokenIds) {
            if (e == token) {
                return true;
            }
        }
        return false;
    }

    /** The pad id; as in Hugging Face, the first eos id stands in when none is set. */
    public Integer padTokenId() {
        if (v.padTokenId == null && v.eosTokenIds.length > 0) {
            return v.eosTokenIds[0];
        }
        return v.padTokenId;
    }

    public Integer bosTokenId() {
        return v.bosTokenId;
    }

    public List<String> stopStrings() {
        return v.stopStrings;
    }

    /** New tokens allowed for a batch whose padded prompt width is {@code width}; at least one, as the reference. */
    public int newTokenBudget(int width) {
        int n = v.maxNewTokens != null ? v.maxNewTokens : v.maxLength - width;
        return Math.max(1, n);
    }

    /** New tokens before which eos is banned (min_new_tokens, or min_length minus the padded width). */
    public int minNewTokenCount(int width) {
        return Math.max(v.minNewTokens, v.minLength - width);
    }

    /** Checks every field and combination; throws IllegalArgumentException naming the culprit. */
    public GenerationConfig validate() {
        List<String> errors = new ArrayList<>();
        if (v.maxNewTokens != null && v.maxNewTokens < 1) {
            errors.add("max_new_tokens must be >= 1, got " + v.maxNewTokens);
        }
        if (v.maxNewTokens == null && v.maxLength < 1) {
            errors.add("max_length must be >= 1, got " + v.maxLength);
        }
        if (v.minNewTokens < 0) {
            errors.add("min_new_tokens must be >= 0, got " + v.minNewTokens);
        }
        if (v.maxNewTokens != null && v.minNewTokens > v.maxNewTokens) {
            errors.add("min_new_tokens (" + v.minNewTokens + ") exceeds max_new_tokens (" + v.maxNewTokens + ")");
        }
        if (v.minLength < 0) {
            errors.add("min_length must be >= 0, got " + v.minLength);
        }
        if (v.numBeams < 1) {
            errors.add("num_beams must be >= 1, got " + v.numBeams);
        }
        if (v.numReturnSequences < 1) {
            errors.add("num_return_sequences must be >= 1, got " + v.numReturnSequences);
        }
        if (v.numBeams > 1 && v.numReturnSequences > v.numBeams) {
            errors.add("num_return_sequences (" + v.numReturnSequences + ") must not exceed num_beams ("
                    + v.numBeams + ") in beam search");
        }
        if (v.numBeams == 1 && !v.doSample && v.numReturnSequences > 1) {
            errors.add("greedy search returns one sequence per prompt: num_return_sequences is "
                    + v.numReturnSequences + "; use num_beams >= num_return_sequences or do_sample");
        }
        if (v.numBeams > 1 && v.doSample) {
            errors.add("beam sampling (do_sample with num_beams > 1) is not supported");
        }
        if (v.numBeams > 1 && !v.stopStrings.isEmpty()) {
            errors.add("stop strings are supported with greedy search and sampling only, not with num_beams > 1");
        }
        if (v.numBeams > 1 && v.eosTokenIds.length == 0) {
            errors.add("beam search needs an eos_token_id");
        }
        if (Double.isNaN(v.lengthPenalty) || Double.isInfinite(v.lengthPenalty)) {
            errors.add("length_penalty must be finite, got " + v.lengthPenalty);
        }
        if (v.noRepeatNgramSize < 0) {
            errors.add("no_repeat_ngram_size must be >= 0, got " + v.noRepeatNgramSize);
        }
        if (!(v.repetitionPenalty > 0) || Double.isInfinite(v.repetitionPenalty)) {
            errors.add("repetition_penalty must be a positive number, got " + v.repetitionPenalty);
        }
        if (v.doSample && (!(v.temperature > 0) || Double.isInfinite(v.temperature))) {
            errors.add("temperature must be > 0 for sampling, got " + v.temperature);
        }
        if (v.topK < 0) {
            errors.add("top_k must be >= 0 (0 disables it), got " + v.topK);
        }
        if (!(v.topP > 0 && v.topP <= 1)) {
            errors.add("top_p must be in (0, 1], got " + v.topP);
        }
        if ((v.minNewTokens > 0 || v.minLength > 0) && v.eosTokenIds.length == 0) {
            errors.add("min_new_tokens/min_length need an eos_token_id to suppress");
        }
        if (padTokenId() == null) {
            errors.add("pad_token_id (or eos_token_id) must be set to pad finished rows");
        }
        for (String s : v.stopStrings) {
            if (s == null || s.isEmpty()) {
                errors.add("stop strings must be non-empty");
                break;
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid generation config: " + String.join("; ", errors));
        }
        return this;
    }

    @Override
    public String toString() {
        return "GenerationConfig{max_new_tokens=" + v.maxNewTokens + ", max_length=" + v.maxLength
                + ", min_new_tokens=" + v.minNewTokens + ", min_length=" + v.minLength
                + ", num_beams=" + v.numBeams + ", num_return_sequences=" + v.numReturnSequences
                + ", length_penalty=" + v.lengthPenalty + ", early_stopping=" + v.earlyStopping
                + ", no_repeat_ngram_size=" + v.noRepeatNgramSize + ", repetition_penalty=" + v.repetitionPenalty
                + ", do_sample=" + v.doSample + ", temperature=" + v.temperature + ", top_k=" + v.topK
                + ", top_p=" + v.topP + ", seed=" + v.seed + ", eos_token_id=" + Arrays.toString(v.eosTokenIds)
                + ", pad_token_id=" + v.padTokenId + ", bos_token_id=" + v.bosTokenId
                + ", stop_strings=" + v.stopStrings + "}";
    }
}
