package org.biogpt.spark.jobs.corpus;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows every reader produces ({@link #SCHEMA}): a document, a bad record or file with its reason
 * ({@code error} set), or a PubMed {@code DeleteCitation} entry ({@code is_delete}). {@code abstract_source}
 * says which PubMed element the text came from: {@code Abstract}, or {@code OtherAbstract} (an English
 * one, used when there is no {@code Abstract}); null for the other formats. Nothing a reader
 * meets is dropped: the job decides what is written, quarantined, deleted or skipped, and counts each.
 */
public final class Records {
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType)
            .add("version", DataTypes.IntegerType)
            .add("title", DataTypes.StringType)
            .add("text", DataTypes.StringType)
            .add("journal", DataTypes.StringType)
            .add("year", DataTypes.IntegerType)
            .add("mesh", DataTypes.createArrayType(DataTypes.StringType))
            .add("no_abstract", DataTypes.BooleanType)
            .add("is_delete", DataTypes.BooleanType)
            .add("file_index", DataTypes.IntegerType)
            .add("source", DataTypes.StringType)
            .add("error", DataTypes.StringType)
            .add("abstract_source", DataTypes.StringType);

    private Records() {
    }

    /** A document; {@code text} empty or null means it has no abstract. */
    public static Row document(String id, Integer version, String title, String text, String journal, Integer year,
                               String[] mesh, String source, int fileIndex) {
        return document(id, version, title, text, journal, year, mesh, source, fileIndex, null);
    }

    /** As above, saying which element the text came from (PubMed: Abstract or OtherAbstract). */
    public static Row document(String id, Integer version, String title, String text, String journal, Integer year,
                               String[] mesh, String source, int fileIndex, String abstractSource) {
        boolean noAbstract = text == null || text.isBlank();
        return RowFactory.create(id, version, title == null ? "" : title, noAbstract ? "" : text, journal, year,
                mesh, noAbstract, false, fileIndex, source, null, noAbstract ? null : abstractSource);
    }

    /** A JSONL/Parquet row: its text is kept as given, even when empty (its owner chose it). */
    static Row table(String id, String title, String text, String source, int fileIndex) {
        return RowFactory.create(id, null, title == null ? "" : title, text, null, null, null, false, false, fileIndex,
                source, null, null);
    }

    /** A record or file that could not be read, with the reason. */
    public static Row error(String id, String title, String source, int fileIndex, String reason) {
        return RowFactory.create(id, null, title, null, null, null, null, false, false, fileIndex, source, reason, null);
    }

    /** A DeleteCitation entry: the PMID is removed from the output. */
    public static Row delete(String id, String source, int fileIndex) {
        return RowFactory.create(id, null, null, null, null, null, null, false, true, fileIndex, source, null, null);
    }

    /** Collapses runs of whitespace to one space and trims. */
    public static String normalizeSpace(CharSequence s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '\u00a0') {
                space = b.length() > 0;
            } else {
                if (space) {
                    b.append(' ');
                    space = false;
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A non-empty run of digits (a PMID, a PubTator offset). */
    static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
