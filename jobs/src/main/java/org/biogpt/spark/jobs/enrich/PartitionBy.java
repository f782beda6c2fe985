package org.biogpt.spark.jobs.enrich;

import java.util.Locale;
import org.biogpt.spark.jobs.corpus.CorpusFormat;

/** How enrich lays out its output directories. */
public enum PartitionBy {
    /** {@code year=YYYY/} (publication year; {@code __HIVE_DEFAULT_PARTITION__} when unknown). */
    YEAR,
    /** {@code input_file=NAME/}: one directory per input file. */
    FILE,
    /** No subdirectories. */
    NONE,
    /** YEAR for PubMed XML input (every record has a year), NONE otherwise. */
    AUTO;

    public static PartitionBy parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown --partition-by '" + name + "' (expected year, file, none or auto)");
        }
    }

    PartitionBy resolve(CorpusFormat format) {
        return this != AUTO ? this : format == CorpusFormat.PUBMED ? YEAR : NONE;
    }

    /** As above; with format AUTO, YEAR when every file's name says PubMed/MEDLINE XML. */
    PartitionBy resolve(CorpusFormat format, java.util.List<String> files) {
        if (this != AUTO || format != CorpusFormat.AUTO) {
            return resolve(format);
        }
        return files.stream().allMatch(f -> CorpusFormat.guessOrNull(f) == CorpusFormat.PUBMED) ? YEAR : NONE;
    }

    /** The partition column, or null. */
    String column() {
        return this == YEAR ? "year" : this == FILE ? "input_file" : null;
    }
}
