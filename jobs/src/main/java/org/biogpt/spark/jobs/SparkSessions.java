package org.biogpt.spark.jobs;

import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the SparkSession of a job: local mode by default, quiet, DJL kept offline on executors.
 * Options the user gave (spark-submit's {@code --conf}, a properties file, {@code spark-defaults.conf},
 * the job's own {@code --conf}) are kept: the job only adds what it needs and they lack.
 */
public final class SparkSessions {
    static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";
    /**
     * What executors need: DJL's engine start kept off the network, and the Vector API module for the
     * decode kernel (DJL/MKL is used where the module is absent).
     */
    static final List<String> EXECUTOR_NEEDS = List.of("-Dai.djl.offline=true", "--add-modules=jdk.incubator.vector");

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
        conf.forEach(b::config);
        SparkConf submitted = new SparkConf(); // spark.* system properties: what spark-submit was given
        b.config(EXECUTOR_JAVA_OPTIONS, executorJavaOptions(submitted, conf));
        if (!conf.containsKey("spark.executorEnv.OPT_OUT_TRACKING")
                && !submitted.contains("spark.executorEnv.OPT_OUT_TRACKING")) {
            b.config("spark.executorEnv.OPT_OUT_TRACKING", "true");
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("biogpt.logLevel", "WARN"));
        return spark;
    }

    /** The user's executor options (the job's conf map over spark-submit's) plus what executors need. */
    static String executorJavaOptions(SparkConf submitted, Map<String, String> conf) {
        String user = conf.containsKey(EXECUTOR_JAVA_OPTIONS) ? conf.get(EXECUTOR_JAVA_OPTIONS)
                : submitted.get(EXECUTOR_JAVA_OPTIONS, "");
        return JavaOptions.merge(user, EXECUTOR_NEEDS);
    }
}
