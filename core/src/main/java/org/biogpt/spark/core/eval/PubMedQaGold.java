package org.biogpt.spark.core.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PubMedQA {@code test.tsv} (BioGPT's copy, 500 rows): "question: Q context: C answer: A" then a
 * tab and the label. Blank lines are skipped as the original scorer does. The row index (0-based)
 * is the item id.
 */
public final class PubMedQaGold {
    private static final String QUESTION = "question: ";
    private static final String CONTEXT = " context: ";
    private static final String ANSWER = " answer: ";

    private PubMedQaGold() {
    }

    public record Item(String id, String question, String context, String longAnswer, String label) {
    }

    public static List<Item> read(Path file) {
        List<Item> items = new ArrayList<>();
        int lineNo = 0;
        for (String line : GoldJson.readLines(file)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length < 2) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected source<TAB>label");
            }
            String source = cols[0].strip();
            int c = source.indexOf(CONTEXT);
            int a = source.lastIndexOf(ANSWER);
            if (!source.startsWith(QUESTION) || c < 0 || a < c) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": source is not 'question: ... context: ... answer: ...'");
            }
            items.add(new Item(String.valueOf(items.size()), source.substring(QUESTION.length(), c),
                    source.substring(c + CONTEXT.length(), a), source.substring(a + ANSWER.length()),
                    cols[cols.length - 1].strip()));
        }
        return items;
    }
}
