package org.biogpt.spark.jobs.corpus;

import java.io.Serializable;
import java.util.List;

/**
 * Which columns of a JSONL or Parquet input hold the id, title and text. Null means the defaults:
 * {@code id} (or {@code pmid}), {@code title}, {@code text} (or {@code abstract}).
 */
public record ColumnNames(String id, String title, String text) implements Serializable {
    public static final ColumnNames DEFAULT = new ColumnNames(null, null, null);

    List<String> idColumns() {
        return id == null ? List.of("id", "pmid") : List.of(id);
    }

    String titleColumn() {
        return title == null ? "title" : title;
    }

    List<String> textColumns() {
        return text == null ? List.of("text", "abstract") : List.of(text);
    }
}
