package org.biogpt.spark.jobs.enrich;

import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.biogpt.spark.udfs.TokenStatsFunction;

/**
 * {@link TokenStatsFunction} over rows of (id, title, text, metadata...): its columns, then the
 * metadata columns carried through unchanged. The wrapped function maps one row to one row in order;
 * every output row's id is checked against the input row it came from.
 */
final class WithTokenStats implements MapPartitionsFunction<Row, Row> {
    private final TokenStatsFunction stats;
    private final int extra;

    WithTokenStats(TokenStatsFunction stats, int extraColumns) {
        this.stats = stats;
        this.extra = extraColumns;
    }

    static StructType schema(StructType input) {
        StructType out = TokenStatsFunction.OUTPUT;
        StructField[] fields = input.fields();
        for (int i = 3; i < fields.length; i++) {
            out = out.add(fields[i]);
        }
        return out;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        Row[] last = new Row[1];
        Iterator<Row> tap = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                last[0] = rows.next();
                return last[0];
            }
        };
        Iterator<Row> out = stats.call(tap);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return out.hasNext();
            }

            @Override
            public Row next() {
                Row s = out.next();
                Row in = last[0];
                if (in == null || !java.util.Objects.equals(in.getString(0), s.getString(0))) {
                    throw new IllegalStateException("token statistics out of step with their input rows");
                }
                Object[] v = new Object[s.size() + extra];
                for (int i = 0; i < s.size(); i++) {
                    v[i] = s.get(i);
                }
                for (int i = 0; i < extra; i++) {
                    v[s.size() + i] = in.get(3 + i);
                }
                return RowFactory.create(v);
            }
        };
    }
}
