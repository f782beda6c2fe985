package org.biogpt.spark.udfs;

import org.biogpt.spark.udfs.model.TaskThreads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class TaskThreadsTest {
    @Test
    void intraOpThreadsDefaultToSparkTaskCpus() {
        assertEquals(1, TaskThreads.resolve(0, new SparkConf(false)));
        assertEquals(2, TaskThreads.resolve(0, new SparkConf(false).set("spark.task.cpus", "2")));
        assertEquals(3, TaskThreads.resolve(3, new SparkConf(false).set("spark.task.cpus", "2")));
    }
}
