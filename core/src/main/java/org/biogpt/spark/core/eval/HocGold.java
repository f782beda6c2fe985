package org.biogpt.spark.core.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * HoC {@code test.tsv}: sentence, tab, labels joined by "|" (or "empty"), each row followed by a
 * blank line, which is skipped. The row index (0-based) is the item id.
 */
public final class HocGold {
    private HocGold() {
    }

    /** @param labels the label column as written ("a|b") */
    public record Item(String id, String text, String labels) {
        /** The labels split as the original scorer does: split on "|", each stripped. */
        public List<String> labelList() {
            List<String> out = new ArrayList<>();
            for (String l : labels.strip().split("\\|", -1)) {
                out.add(l.strip());
            }
            return out;
        }
    }

    public static List<Item> read(Path file) {
        List<Item> items = new ArrayList<>();
        int lineNo = 0;
        for (String line : GoldJson.readLines(file)) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length < 2) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": expected sentence<TAB>labels");
            }
            items.add(new Item(String.valueOf(items.size()), cols[0], cols[cols.length - 1].strip()));
        }
        return items;
    }
}
