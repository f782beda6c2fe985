package org.biogpt.spark.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** A job's Spark session keeps the user's executor JVM options and adds only what executors need and lack. */
class SparkSessionsTest {
    private static SparkConf submitted(String executorOptions) {
        SparkConf c = new SparkConf(false);
        if (executorOptions != null) {
            c.set("spark.executor.extraJavaOptions", executorOptions);
        }
        return c;
    }

    @Test
    void withoutUserOptionsExecutorsGetDjlOfflineAndTheVectorModule() {
        assertEquals("-Dai.djl.offline=true --add-modules=jdk.incubator.vector",
                SparkSessions.executorJavaOptions(submitted(null), Map.of()));
    }

    @Test
    void spark_submitOptionsAreKeptFirstAndOnlyMissingFlagsAdded() {
        String user = "-DDJL_CACHE_DIR=./djl-cache -XX:+UseG1GC -Dbiogpt.decodeKernel=false";
        assertEquals(user + " -Dai.djl.offline=true --add-modules=jdk.incubator.vector",
                SparkSessions.executorJavaOptions(submitted(user), Map.of()));
    }

    @Test
    void aFlagTheUserAlreadyDecidedIsNotAddedAgainEvenWithAnotherValue() {
        String user = "-Dai.djl.offline=false --add-modules jdk.incubator.foreign,jdk.incubator.vector";
        assertEquals(user, SparkSessions.executorJavaOptions(submitted(user), Map.of()));
        assertEquals("--add-modules=java.sql -Dai.djl.offline=true --add-modules=jdk.incubator.vector",
                SparkSessions.executorJavaOptions(submitted("--add-modules=java.sql"), Map.of()));
    }

    @Test
    void theJobsOwnConfBeatsWhatSpark_submitWasGiven() {
        assertEquals("-Dmarker=job -Dai.djl.offline=true --add-modules=jdk.incubator.vector",
                SparkSessions.executorJavaOptions(submitted("-Dmarker=submit"),
                        Map.of("spark.executor.extraJavaOptions", "-Dmarker=job")));
    }

    @Test
    void quotedOptionsStayOneToken() {
        assertEquals(List.of("-Dname=a b", "-Dx=1"), JavaOptions.split("'-Dname=a b'  \"-Dx=1\""));
    }

    @Test
    void theSessionCarriesTheMergedOptionsAndTheUsersOtherSettings() {
        SparkSession spark = SparkSessions.create("spark-sessions-test", "local[1]",
                Map.of("spark.executor.extraJavaOptions", "-Dbiogpt.test.marker=42",
                        "spark.executorEnv.OPT_OUT_TRACKING", "false"));
        try {
            SparkConf conf = spark.sparkContext().getConf();
            String options = conf.get("spark.executor.extraJavaOptions");
            List<String> tokens = JavaOptions.split(options);
            // Spark puts its own module flags in front; the user's marker comes before what the job adds.
            assertEquals(1, tokens.stream().filter("-Dbiogpt.test.marker=42"::equals).count(), options);
            assertEquals(1, tokens.stream().filter("-Dai.djl.offline=true"::equals).count(), options);
            assertTrue(tokens.indexOf("-Dbiogpt.test.marker=42") < tokens.indexOf("-Dai.djl.offline=true"), options);
            assertEquals("false", conf.get("spark.executorEnv.OPT_OUT_TRACKING"));
        } finally {
            spark.stop();
        }
    }
}
