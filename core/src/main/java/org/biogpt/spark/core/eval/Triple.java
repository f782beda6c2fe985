package org.biogpt.spark.core.eval;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A (drug, target, interaction) triple as hard_match_evaluation.py compares them: each part
 * stripped, lowercased and with spaces removed.
 */
public record Triple(String drug, String target, String interaction) {
    public static Triple of(String drug, String target, String interaction) {
        return new Triple(clean(drug), clean(target), clean(interaction));
    }

    /** {@code x.strip().lower().replace(' ', '')}. */
    static String clean(String s) {
        return org.biogpt.spark.core.task.PyText.strip(s).toLowerCase(Locale.ROOT).replace(" ", "");
    }

    Triple map(UnaryOperator<String> f) {
        return new Triple(f.apply(drug), f.apply(target), f.apply(interaction));
    }
}
