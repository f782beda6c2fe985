package org.biogpt.spark.jobs.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PubTator text: {@code PMID|t|title} and {@code PMID|a|abstract} lines, then tab-separated mention
 * and relation lines, documents separated by blank lines. Mention lines have 5 to 7 columns
 * ({@code PMID start end text type [id [individual mentions or tmVar normalisation]]}); relation lines
 * have 4 (BioCreative CDR: {@code PMID CID id1 id2}) or 5 (BioRED: {@code PMID type id1 id2 novelty}).
 * Mentions and relations are not needed to run the models and are skipped here; a line that fits none
 * of these forms is an error for its document.
 */
public final class PubTatorParser {
    private PubTatorParser() {
    }

    /** A parsed document, or the reason it could not be parsed. */
    public record Result(Document document, String error, String rawId) {
    }

    public static List<Result> parse(String content) {
        return parse(content, 1);
    }

    /** As {@link #parse(String)} for a block of a larger file whose first line is {@code firstLine} (1-based). */
    public static List<Result> parse(String content, int firstLine) {
        int base = firstLine - 1;
        Map<String, String[]> docs = new LinkedHashMap<>(); // id -> {title, abstract, error}
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            int bar1 = line.indexOf('|');
            int tab = line.indexOf('\t');
            if (bar1 > 0 && (tab < 0 || bar1 < tab) && line.length() > bar1 + 2 && line.charAt(bar1 + 2) == '|') {
                String id = line.substring(0, bar1);
                char kind = line.charAt(bar1 + 1);
                String body = line.substring(bar1 + 3);
                String[] d = docs.computeIfAbsent(id, k -> new String[3]);
                if (kind == 't') {
                    d[0] = body;
                } else if (kind == 'a') {
                    d[1] = body;
                } else {
                    d[2] = "line " + (base + i + 1) + ": unknown section '" + kind + "'";
                }
            } else if (tab > 0) {
                String id = line.substring(0, tab);
                String[] cols = line.split("\t", -1);
                String[] d = docs.computeIfAbsent(id, k -> new String[3]);
                // Mention: PMID start end text type [id [more]]; relation: PMID type id1 id2 [novelty].
                boolean mention = cols.length >= 5 && Records.isDigits(cols[1]) && Records.isDigits(cols[2]);
                boolean relation = (cols.length == 4 || cols.length == 5) && !cols[1].isBlank() && !Records.isDigits(cols[1]);
                if (!mention && !relation && d[2] == null) {
                    d[2] = "line " + (base + i + 1) + ": malformed annotation line";
                }
            } else {
                // A line we cannot attribute: report it under a synthetic id so it is not lost.
                docs.put("line-" + (base + i + 1), new String[] {null, null, "line " + (base + i + 1) + ": not PubTator"});
            }
        }
        List<Result> out = new ArrayList<>();
        for (Map.Entry<String, String[]> e : docs.entrySet()) {
            String[] d = e.getValue();
            if (d[2] == null && d[0] == null && d[1] == null) {
                d[2] = "annotations without a title or abstract line";
            }
            if (d[2] != null) {
                out.add(new Result(null, d[2], e.getKey()));
            } else {
                out.add(new Result(new Document(e.getKey(), d[0] == null ? "" : d[0], d[1] == null ? "" : d[1]),
                        null, e.getKey()));
            }
        }
        return out;
    }
}
