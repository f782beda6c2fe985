package org.biogpt.spark.udfs.model;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * The Hadoop configuration of the running Spark application, on the driver or an executor:
 * Hadoop's defaults and site files plus every {@code spark.hadoop.*} setting (what Spark's own
 * internal helper does; credentials for {@code s3a:} are usually passed that way).
 */
final class HadoopConf {
    private static final String PREFIX = "spark.hadoop.";

    private HadoopConf() {
    }

    static Configuration current() {
        Configuration conf = new Configuration();
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            SparkConf sparkConf = env.conf();
            for (Tuple2<String, String> kv : sparkConf.getAll()) {
                if (kv._1().startsWith(PREFIX)) {
                    conf.set(kv._1().substring(PREFIX.length()), kv._2());
                }
            }
        }
        return conf;
    }
}
