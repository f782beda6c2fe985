package org.biogpt.spark.udfs;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;

/**
 * Adds token statistics to rows of (id, title, text, extra columns...): the model input
 * ({@code source}) is title + ". " + text as in the BioGPT relation-extraction tasks; the count
 * includes the BOS token, so "exceeds" means the model would refuse it without truncation. Any
 * columns after the first three (e.g. a reader's metadata) are carried through after {@link #OUTPUT}'s.
 */
public final class TokenStatsFunction implements MapPartitionsFunction<Row, Row> {
    public static final StructType OUTPUT = new StructType()
            .add("id", DataTypes.StringType)
            .add("title", DataTypes.StringType)
            .add("text", DataTypes.StringType)
            .add("token_count", DataTypes.IntegerType)
            .add("exceeds_max_positions", DataTypes.BooleanType)
            .add("source", DataTypes.StringType);

    /** The output schema for an input schema: {@link #OUTPUT}, then the input's columns after id, title, text. */
    public static StructType schema(StructType input) {
        StructType out = OUTPUT;
        StructField[] fields = input.fields();
        for (int i = 3; i < fields.length; i++) {
            out = out.add(fields[i]);
        }
        return out;
    }

    private final Broadcast<BioGptTokenizer> tokenizer;
    private final int maxPositions;

    public TokenStatsFunction(Broadcast<BioGptTokenizer> tokenizer, int maxPositions) {
        this.tokenizer = tokenizer;
        this.maxPositions = maxPositions;
    }

    /** The text the model sees for a document: title and abstract joined as the BioGPT tasks do. */
    public static String modelInput(String title, String text) {
        if (title == null || title.isBlank()) {
            return text;
        }
        String t = title.strip();
        boolean endsInPunct = !Character.isLetterOrDigit(t.charAt(t.length() - 1));
        return t + (endsInPunct ? " " : ". ") + text;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        BioGptTokenizer tok = tokenizer.value();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row r = rows.next();
                String title = r.getString(1);
                String text = r.getString(2);
                String source = modelInput(title, text);
                int n = tok.encodeIds(source).length;
                Object[] v = new Object[OUTPUT.size() + r.size() - 3];
                v[0] = r.getString(0);
                v[1] = title;
                v[2] = text;
                v[3] = n;
                v[4] = n > maxPositions;
                v[5] = source;
                for (int i = 3; i < r.size(); i++) {
                    v[OUTPUT.size() + i - 3] = r.get(i);
                }
                return RowFactory.create(v);
            }
        };
    }
}
