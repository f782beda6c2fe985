package org.biogpt.spark.jobs;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession of a job: local mode by default, quiet, DJL kept offline on executors. */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession create(String appName, String master, Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master == null && System.getProperty("spark.master") == null) {
            master = "local[*]"; // not under spark-submit: run in this JVM
        }
        if (master != null) {
            b.master(master);
        }
        if (master != null && master.startsWith("local")) {
            b.config("spark.driver.host", System.getenv().getOrDefault("SPARK_LOCAL_IP", "127.0.0.1"));
            b.config("spark.ui.enabled", "false");
            b.config("spark.ui.showConsoleProgress", "false");
        }
        // Executors load DJL too: keep its engine start off the network there as well.
        // --add-modules: the Vector API decode kernel (DJL/MKL is used where the module is absent).
        b.config("spark.executor.extraJavaOptions", "-Dai.djl.offline=true --add-modules=jdk.incubator.vector");
        b.config("spark.executorEnv.OPT_OUT_TRACKING", "true");
        conf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("biogpt.logLevel", "WARN"));
        return spark;
    }
}
