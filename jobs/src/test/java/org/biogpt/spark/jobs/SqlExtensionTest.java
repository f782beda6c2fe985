package org.biogpt.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.Fixtures;
import org.biogpt.spark.pipeline.BioGptEmbedder;
import org.biogpt.spark.pipeline.DocumentClassifier;
import org.biogpt.spark.udfs.sql.BioGptSparkExtensions;
import org.junit.jupiter.api.Test;

/**
 * {@code spark.sql.extensions=org.biogpt.spark.udfs.sql.BioGptSparkExtensions} gives a session the
 * biogpt_* functions with no Java call, on the checkpoints named by {@code spark.biogpt.*} settings, as
 * spark-sql, the Thrift server or a notebook would be configured.
 */
class SqlExtensionTest {
    private static final Path FIXTURES = Fixtures.tiny();

    @Test
    void settingsAloneRegisterTheFunctionsWithVisibleErrorsAndTheStagesTypes() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession spark = SparkSession.builder().master("local[1]").appName("sql-extension-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.extensions", BioGptSparkExtensions.class.getName())
                .config("spark.biogpt.model", FIXTURES.resolve("causal-lm").toString())
                .config("spark.biogpt.classify.model", FIXTURES.resolve("sequence-classification").toString())
                .getOrCreate();
        try {
            List<String> texts = Arrays.asList("Famotidine-associated delirium.", null,
                    "cancer ".repeat(200)); // far past the fixture's 128 positions
            spark.createDataFrame(rows(texts), new org.apache.spark.sql.types.StructType()
                    .add("id", "int").add("text", "string")).createOrReplaceTempView("docs");
            List<Row> sql = spark.sql("SELECT id, biogpt_classify(text) AS c, biogpt_embed(text) AS e FROM docs ORDER BY id")
                    .collectAsList();
            List<Row> classified = new DocumentClassifier().setModelPath(FIXTURES.resolve("sequence-classification").toString())
                    .transform(spark.table("docs")).orderBy("id").collectAsList();
            List<Row> embedded = new BioGptEmbedder().setModelPath(FIXTURES.resolve("causal-lm").toString())
                    .transform(spark.table("docs")).orderBy("id").collectAsList();
            for (int i = 0; i < texts.size(); i++) {
                Row c = sql.get(i).getStruct(1);
                Row e = sql.get(i).getStruct(2);
                // the same reason as the stage's error column, or none
                assertEquals(classified.get(i).get(3), c.get(1), "row " + i);
                assertEquals(embedded.get(i).get(3), e.get(1), "row " + i);
                if (i == 0) {
                    assertEquals(classified.get(i).getStruct(2).getString(0), c.getStruct(0).getString(0));
                    Vector expected = (Vector) embedded.get(i).get(2);
                    Vector actual = (Vector) e.get(0); // an ml.linalg.Vector, as the stage returns
                    assertEquals(32, actual.size());
                    for (int d = 0; d < actual.size(); d++) {
                        assertEquals(expected.apply(d), actual.apply(d), 1e-5);
                    }
                } else {
                    assertTrue(c.isNullAt(0) && e.isNullAt(0), "row " + i);
                    assertTrue(c.getString(1) != null && !c.getString(1).isBlank(), "row " + i + " has a reason");
                }
            }
            String usage = spark.sql("DESCRIBE FUNCTION biogpt_relations").collectAsList().toString();
            assertTrue(usage.contains("biogpt_relations(text, task)"), usage);

            Exception wrongType = assertThrows(Exception.class, () -> spark.sql("SELECT biogpt_embed(id) FROM docs"));
            assertTrue(wrongType.getMessage().contains("biogpt_embed takes string arguments, got int"),
                    wrongType.getMessage());
            spark.conf().unset("spark.biogpt.model");
            Exception unset = assertThrows(Exception.class, () -> spark.sql("SELECT biogpt_tokenize(text) FROM docs"));
            assertTrue(unset.getMessage().contains("biogpt_tokenize: the biogpt_* SQL functions need a checkpoint: set "
                    + "spark.biogpt.model"), unset.getMessage());
            assertNull(spark.conf().get("spark.biogpt.model", null));
        } finally {
            spark.stop();
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
    }

    private static List<Row> rows(List<String> texts) {
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(org.apache.spark.sql.RowFactory.create(i, texts.get(i)));
        }
        return rows;
    }
}
