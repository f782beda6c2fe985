package org.biogpt.spark.udfs.values;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.biogpt.spark.core.task.Answer;
import org.biogpt.spark.core.task.Classification;
import org.biogpt.spark.core.task.EntitySpan;
import org.biogpt.spark.core.task.Generated;
import org.biogpt.spark.core.task.Relation;
import org.biogpt.spark.core.task.RelationResult;
import org.biogpt.spark.core.task.TokenClassification;
import org.biogpt.spark.core.tokenizer.Encoding;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Results as Spark external values matching {@link OutputTypes}: Rows for structs, Scala
 * collections for arrays and maps (what both the Row encoder and the UDF converters accept).
 */
public final class SparkValues {
    private SparkValues() {
    }

    public static Row tokens(Encoding e) {
        List<Object> ids = new ArrayList<>(e.length());
        List<Object> offsets = new ArrayList<>(e.length());
        for (int i = 0; i < e.length(); i++) {
            ids.add(e.ids()[i]);
            offsets.add(RowFactory.create(e.starts()[i], e.ends()[i]));
        }
        return RowFactory.create(seq(ids), seq(List.of(e.tokens())), seq(offsets), e.length());
    }

    public static Object entities(TokenClassification tokens) {
        List<EntitySpan> spans = tokens.entities();
        List<Object> rows = new ArrayList<>(spans.size());
        for (EntitySpan s : spans) {
            rows.add(RowFactory.create(s.label(), s.start(), s.end(), s.text(), s.score()));
        }
        return seq(rows);
    }

    public static Row classification(Classification c) {
        return RowFactory.create(c.label(), CollectionConverters.asScala(c.probabilities()));
    }

    public static Row relations(RelationResult r) {
        List<Object> rows = new ArrayList<>(r.relations().size());
        for (Relation x : r.relations()) {
            rows.add(RowFactory.create(x.head(), x.headType(), x.relation(), x.tail(), x.tailType(),
                    x.headStart(), x.headEnd(), x.tailStart(), x.tailEnd()));
        }
        return RowFactory.create(seq(rows), seq(r.unparsed()), r.generated(), r.truncated());
    }

    public static Row answer(Answer a) {
        return RowFactory.create(a.label(), CollectionConverters.asScala(a.probabilities()), a.text());
    }

    public static Row generated(Generated g) {
        return RowFactory.create(g.text(), g.numTokens(), g.score(), g.stopReason());
    }

    /** An embedding as an {@code ml.linalg} dense vector (the BioGptEmbedder stage's and biogpt_embed's type). */
    public static Object embeddingVector(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return org.apache.spark.ml.linalg.Vectors.dense(d);
    }

    private static Object seq(List<?> values) {
        return CollectionConverters.asScala(values).toSeq();
    }
}
