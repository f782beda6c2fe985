package org.biogpt.spark.jobs.corpus;

import java.util.Locale;

/** Input formats the jobs read; AUTO decides per file, from its name or else its first bytes. */
public enum CorpusFormat {
    JSONL, PUBTATOR, PARQUET, PUBMED, BIOC_XML, BIOC_JSON, AUTO;

    private static final java.util.regex.Pattern NLM_NAME =
            java.util.regex.Pattern.compile("(pubmed|medline)\\d{2}n\\d{4}\\.xml");

    /**
     * The format a file's name says for sure, or null when only its content can tell: {@code .pubtator},
     * {@code .jsonl}/{@code .ndjson}, {@code .parquet}, {@code *bioc*.xml}/{@code *bioc*.json} and NLM's
     * {@code pubmedYYnNNNN.xml}/{@code medlineYYnNNNN.xml} are sure; other {@code .xml}, {@code .json},
     * {@code .txt} and bare names are not. A compression suffix ({@code .gz}, {@code .bz2}) is ignored.
     */
    public static CorpusFormat byName(String path) {
        String p = path.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2)$", "");
        String name = p.substring(p.lastIndexOf('/') + 1);
        boolean bioc = name.contains("bioc");
        if (name.endsWith(".pubtator")) {
            return PUBTATOR;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (name.endsWith(".parquet")) {
            return PARQUET;
        }
        if (bioc && name.endsWith(".xml")) {
            return BIOC_XML;
        }
        if (bioc && name.endsWith(".json")) {
            return BIOC_JSON;
        }
        return NLM_NAME.matcher(name).matches() ? PUBMED : null;
    }

    /** True for formats read as a stream of records per file in one Spark task each. */
    public boolean streamedPerFile() {
        return this == PUBTATOR || this == PUBMED || this == BIOC_XML || this == BIOC_JSON;
    }

    /**
     * Guesses the format from a file name: {@code .bioc.xml} / {@code .bioc.json} (or a name containing
     * "bioc") → BioC, other {@code .xml} → PubMed/MEDLINE XML, {@code .pubtator} / {@code .txt} → PubTator,
     * {@code .parquet} → Parquet, anything else (.jsonl, .json) → JSONL. A trailing compression suffix
     * ({@code .gz}, {@code .bz2}) is ignored. Returns null for a name without a telling extension
     * (e.g. a directory).
     */
    public static CorpusFormat guessOrNull(String path) {
        String p = path.toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2)$", "");
        String name = p.substring(p.lastIndexOf('/') + 1);
        boolean bioc = name.contains("bioc");
        if (name.endsWith(".xml")) {
            return bioc ? BIOC_XML : PUBMED;
        }
        if (name.endsWith(".json")) {
            return bioc ? BIOC_JSON : JSONL;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (name.endsWith(".pubtator") || name.endsWith(".txt")) {
            return PUBTATOR;
        }
        if (name.endsWith(".parquet")) {
            return PARQUET;
        }
        return null;
    }

    /** As {@link #guessOrNull} with JSONL for names that say nothing. */
    public static CorpusFormat guess(String path) {
        CorpusFormat f = guessOrNull(path);
        return f == null ? JSONL : f;
    }

    public static CorpusFormat parse(String name) {
        switch (name.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "jsonl":
            case "json":
                return JSONL;
            case "pubtator":
                return PUBTATOR;
            case "parquet":
                return PARQUET;
            case "pubmed":
            case "pubmed-xml":
            case "medline":
                return PUBMED;
            case "bioc":
            case "bioc-xml":
                return BIOC_XML;
            case "bioc-json":
                return BIOC_JSON;
            case "auto":
                return AUTO;
            default:
                throw new IllegalArgumentException("unknown format '" + name
                        + "' (expected pubmed, bioc-xml, bioc-json, pubtator, jsonl, parquet or auto)");
        }
    }
}
