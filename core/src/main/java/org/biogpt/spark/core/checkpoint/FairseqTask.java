package org.biogpt.spark.core.checkpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint's task configuration ({@code cfg.task}, or {@code args} in older checkpoints)
 * adds to the dictionary and the prompt. microsoft/BioGPT's {@code language_modeling_prompt}
 * ({@code setup_prompt}) adds {@code sep_token} when {@code prefix} is set, then encodes the prompt
 * with {@code add_if_not_exist}: the words of {@code manual_prompt}, or {@code learned_prompt} words
 * {@code <pattern>1 ... <pattern>N}. Any other task (e.g. {@code language_modeling} of the
 * pre-trained model) adds nothing.
 *
 * @param name          the task's {@code _name} (or {@code task} in args), may be null
 * @param sourceLang    {@code source_lang} (names the dictionary {@code dict.<lang>.txt}), may be null
 * @param prefix        {@code prefix}: the prompt goes first and {@code sep_token} separates it
 * @param sepToken      {@code sep_token}
 * @param promptWords   the prompt's words in order (empty without a prompt)
 * @param learnedLength {@code learned_prompt} (0 when the prompt is manual or absent)
 * @param learnedPattern {@code learned_prompt_pattern}
 */
public record FairseqTask(String name, String sourceLang, boolean prefix, String sepToken,
                          List<String> promptWords, int learnedLength, String learnedPattern) {

    public FairseqTask {
        promptWords = List.copyOf(promptWords);
    }

    static FairseqTask from(Map<?, ?> cfg, String source) {
        String name = text(cfg, "_name", text(cfg, "task", null));
        String sourceLang = text(cfg, "source_lang", null);
        boolean prefix = Boolean.TRUE.equals(cfg.get("prefix"));
        String sep = text(cfg, "sep_token", "<seqsep>");
        String pattern = text(cfg, "learned_prompt_pattern", "learned");
        String manual = text(cfg, "manual_prompt", null);
        Object learned = cfg.get("learned_prompt");
        long n = 0;
        if (learned != null) {
            if (!(learned instanceof Long l) || l < 0 || l > 100_000) {
                throw new CheckpointException(source + ": cfg.task.learned_prompt is " + learned
                        + ", not a small non-negative integer");
            }
            n = l;
        }
        List<String> words = new ArrayList<>();
        if (manual != null && !manual.isEmpty()) {
            if (n > 0) {
                throw new CheckpointException(source + ": cfg.task sets both manual_prompt and learned_prompt "
                        + "(the task itself refuses that)");
            }
            // fairseq's tokenize_line: whitespace runs collapse, the line is split on them.
            for (String w : manual.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    words.add(w);
                }
            }
        } else {
            for (int k = 1; k <= n; k++) {
                words.add(pattern + k);
            }
        }
        if (prefix && sep == null) {
            throw new CheckpointException(source + ": cfg.task has prefix set but no sep_token");
        }
        return new FairseqTask(name, sourceLang, prefix, sep, words, (int) n, pattern);
    }

    /** Adds this task's symbols to {@code dict} in fairseq's order; returns the prompt's ids. */
    public int[] addTo(FairseqDictionary dict) {
        if (prefix) {
            dict.add(sepToken);
        }
        int[] ids = new int[promptWords.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = dict.add(promptWords.get(i));
        }
        return ids;
    }

    private static String text(Map<?, ?> cfg, String key, String dflt) {
        Object v = cfg.get(key);
        return v instanceof String s ? s : dflt;
    }
}
