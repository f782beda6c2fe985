package org.biogpt.spark.jobs.corpus;

import java.io.Serializable;

/**
 * How far a reader trusts its input. {@code maxRecordChars} caps the text one record may hold (all
 * its fields together, or one JSONL/PubTator line): a bigger record is quarantined with its size and
 * reading goes on, so one oversized or decompression-bomb record cannot exhaust an executor's heap.
 * {@code verifyMd5} checks every data file against the {@code .md5} file beside it before reading
 * (as NLM publishes them for {@code pubmedYYnNNNN.xml.gz}).
 */
public record ReadOptions(long maxRecordChars, boolean verifyMd5) implements Serializable {
    /**
     * Default cap on one record's text: 8,000,000 characters, far above any PubMed abstract or BioC
     * full-text article and far below an executor heap. Raise it with {@code --max-record-chars}.
     */
    public static final long DEFAULT_MAX_RECORD_CHARS = 8_000_000L;

    public static final ReadOptions DEFAULT = new ReadOptions(DEFAULT_MAX_RECORD_CHARS, false);

    public ReadOptions {
        if (maxRecordChars < 1_000) {
            throw new IllegalArgumentException("--max-record-chars must be at least 1000, got " + maxRecordChars);
        }
    }

    public ReadOptions withVerifyMd5(boolean verify) {
        return new ReadOptions(maxRecordChars, verify);
    }

    /**
     * The reason a record too big to keep is quarantined with; {@code exact} when every character of it was
     * counted (a line), not only the text fields a reader keeps.
     */
    String tooLarge(String what, long size, boolean exact) {
        return what + " holds " + (exact ? "" : "at least ") + size
                + " characters, over the limit of " + maxRecordChars + " per record (--max-record-chars)";
    }
}
