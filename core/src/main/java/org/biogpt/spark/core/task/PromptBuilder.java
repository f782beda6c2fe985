package org.biogpt.spark.core.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.core.tokenizer.CheckpointPrompt;

/**
 * Builds the source text and prompt ids of a task for one document, as the original
 * fine-tuning data was built.
 *
 * <p>Truncation rule. The original (fairseq, {@code LanguageModelPromptDataset.__getitem__})
 * holds the source as BPE tokens plus {@code </s>}; when more than {@code max_source_positions}
 * tokens remain, it keeps the first {@code max+1}, overwrites the last two with "..." and
 * {@code </s>}, and the collater drops that {@code </s>}. So a long source becomes its first
 * {@code max-1} BPE tokens then "...": {@code max} tokens in all, cut wherever the limit falls,
 * even inside a word. Hugging Face BioGPT pieces are those same BPE tokens (a fairseq "x@@" is
 * the HF piece "x", a word-final "x" is "x&lt;/w&gt;"), so the rule maps one to one onto HF ids:
 * the first {@code max-1} source pieces, then the id of "...&lt;/w&gt;". The leading {@code </s>}
 * of both is not counted.
 */
public final class PromptBuilder {
    /** {@code {name}} or {@code {name:modifier}} in a source template. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?}");
    /** Python's {@code re.search(r"\W$", title)}: the title ends in a non-word character. */
    private static final Pattern ENDS_NON_WORD = Pattern.compile("\\W$", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String ELLIPSIS = "...";
    /** The word of the learned prompt tokens the task definitions (and their output parsing) use. */
    private static final String LEARNED_PATTERN = "learned";

    private final TaskDefinition task;
    private final BioGptTokenizer tokenizer;
    private final int[] learnedIds;
    private final int ellipsisId;

    public PromptBuilder(TaskDefinition task, BioGptTokenizer tokenizer) {
        this.task = task;
        this.tokenizer = tokenizer;
        this.learnedIds = promptIds(task, tokenizer);
        this.ellipsisId = pieceId(tokenizer, ELLIPSIS);
    }

    /** The source text of a document from its fields, per the task's template and text rules. */
    public static String source(TaskDefinition task, Map<String, String> fields) {
        Matcher m = PLACEHOLDER.matcher(task.sourceTemplate());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = fields.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("task " + task.name() + ": document has no field '" + m.group(1) + "'");
            }
            if (task.newlines() == NewlineHandling.SPACE) {
                value = value.replace('\n', ' ');
            }
            if (m.group(2) != null) {
                value = applyModifier(task, m.group(2), value);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String source = out.toString();
        if (task.strip()) {
            source = source.strip();
        }
        if (task.endWithPeriod() && !source.endsWith(".")) {
            source = source + ".";
        }
        // Python's str.lower(); Locale.ROOT so a Turkish default locale cannot change it.
        return task.lowercase() ? source.toLowerCase(Locale.ROOT) : source;
    }

    private static String applyModifier(TaskDefinition task, String modifier, String value) {
        if (modifier.equals("sentence")) {
            // rebuild_data.py: title + " " + abstract if the title ends in \W, else title + ". " + abstract
            return ENDS_NON_WORD.matcher(value).find() ? value : value + ".";
        }
        throw new IllegalArgumentException("task " + task.name() + ": unknown template modifier ':" + modifier + "'");
    }

    public String source(Map<String, String> fields) {
        return source(task, fields);
    }

    /** The prompt of one document: source per the task, truncated as the original, learned prompt appended. */
    public Prompt build(Map<String, String> fields) {
        String source = source(fields);
        int[] encoded = tokenizer.encodeIds(source); // [</s>, pieces...]
        int pieces = encoded.length - 1;
        int max = task.maxSourceTokens();
        boolean truncated = pieces > max;
        int kept = truncated ? max : pieces;
        int[] ids = new int[1 + kept + learnedIds.length];
        if (truncated) {
            if (ellipsisId < 0) {
                throw new IllegalStateException("vocabulary has no '...' piece to end a truncated source");
            }
            System.arraycopy(encoded, 0, ids, 0, max); // </s> and the first max-1 pieces
            ids[max] = ellipsisId;
        } else {
            System.arraycopy(encoded, 0, ids, 0, encoded.length);
        }
        System.arraycopy(learnedIds, 0, ids, 1 + kept, learnedIds.length);
        return new Prompt(source, ids, kept, truncated, learnedIds.length);
    }

    /** The learned-prompt ids this builder appends (empty when the vocabulary has none). */
    public int[] learnedIds() {
        return learnedIds.clone();
    }

    /**
     * The prompt to append: the one the checkpoint's configuration states (a fairseq folder's
     * cfg.task), which must agree with the task definition's length and pattern, else the run of
     * learned tokens in the vocabulary ({@link #learnedPromptIds}).
     */
    static int[] promptIds(TaskDefinition task, BioGptTokenizer tokenizer) {
        CheckpointPrompt stated = tokenizer.checkpointPrompt();
        if (stated == null) {
            return learnedPromptIds(tokenizer);
        }
        if (stated.learnedLength() != task.learnedPromptLength()) {
            throw new IllegalArgumentException("task " + task.name() + " appends a learned prompt of "
                    + task.learnedPromptLength() + " tokens (learned_prompt_length), but the checkpoint was fine-tuned "
                    + "with " + (stated.learnedLength() == 0 ? "a manual prompt of " + stated.ids().length + " words"
                    : stated.learnedLength() + " (learned_prompt in " + stated.source() + ")"));
        }
        if (stated.learnedLength() > 0 && !LEARNED_PATTERN.equals(stated.pattern())) {
            throw new IllegalArgumentException("task " + task.name() + " reads learned prompts written '"
                    + LEARNED_PATTERN + "1 ...', but the checkpoint's learned_prompt_pattern is '" + stated.pattern()
                    + "' (" + stated.source() + ")");
        }
        return stated.ids();
    }

    /**
     * learned1, learned2, ... as long as the vocabulary has them consecutively: fairseq added
     * them as whole words, which the Hugging Face converter writes as "learnedK&lt;/w&gt;".
     */
    public static int[] learnedPromptIds(BioGptTokenizer tokenizer) {
        int[] ids = new int[0];
        for (int k = 1; ; k++) {
            int id = pieceId(tokenizer, LEARNED_PATTERN + k);
            if (id < 0) {
                return ids;
            }
            ids = Arrays.copyOf(ids, k);
            ids[k - 1] = id;
        }
    }

    /** A whole-word vocabulary entry: "word&lt;/w&gt;", else the bare form. */
    private static int pieceId(BioGptTokenizer tokenizer, String word) {
        int id = tokenizer.tokenToId(word + "</w>");
        return id >= 0 ? id : tokenizer.tokenToId(word);
    }
}
