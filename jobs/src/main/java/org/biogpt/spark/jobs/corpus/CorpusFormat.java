package org.biogpt.spark.jobs.corpus;

import java.util.Locale;

/** Input formats the jobs read. */
public enum CorpusFormat {
    JSONL, PUBTATOR, PARQUET;

    /** Guesses the format from a path's extension (".jsonl", ".json", ".pubtator", ".txt", ".parquet"). */
    public static CorpusFormat guess(String path) {
        String p = path.toLowerCase(Locale.ROOT).replaceAll("\\.gz$", "");
        if (p.endsWith(".pubtator") || p.endsWith(".txt")) {
            return PUBTATOR;
        }
        if (p.endsWith(".parquet") || p.endsWith("/")) {
            return p.endsWith("/") ? JSONL : PARQUET;
        }
        return JSONL;
    }

    public static CorpusFormat parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + name + "' (expected jsonl, pubtator or parquet)");
        }
    }
}
