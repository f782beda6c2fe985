package org.biogpt.spark.jobs.corpus;

import java.util.Locale;

/** Input formats the jobs read. */
public enum CorpusFormat {
    JSONL, PUBTATOR, PARQUET, PUBMED, BIOC_XML, BIOC_JSON;

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
            default:
                throw new IllegalArgumentException("unknown format '" + name
                        + "' (expected pubmed, bioc-xml, bioc-json, pubtator, jsonl or parquet)");
        }
    }
}
