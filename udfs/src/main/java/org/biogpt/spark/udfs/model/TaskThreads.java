package org.biogpt.spark.udfs.model;

import org.apache.spark.SparkConf;

/**
 * Intra-op threads for a model: what the user asked for, else {@code spark.task.cpus}, so that the
 * tasks an executor runs at once use at most its cores (two 1-cpu tasks on a 2-core executor get
 * one libtorch thread each instead of two each).
 */
public final class TaskThreads {
    private TaskThreads() {
    }

    /** @param requested threads asked for; 0 (or less) means {@code spark.task.cpus} */
    public static int resolve(int requested, SparkConf conf) {
        if (requested > 0) {
            return requested;
        }
        return Math.max(1, conf.getInt("spark.task.cpus", 1));
    }
}
