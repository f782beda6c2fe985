package org.biogpt.spark.jobs.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against a real multi-JVM Spark cluster: {@code local-cluster[workers,cores,memory]}
 * with the Master and Workers inside the test JVM and every executor a separate {@code java} process
 * (see {@link LocalClusterExtension}). Tagged {@code cluster}: the fast Surefire execution skips it, the
 * {@code cluster-tests} execution runs it. Test methods and lifecycle methods take a
 * {@link LocalClusterExtension.Cluster} parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("cluster")
@ExtendWith(LocalClusterExtension.class)
public @interface LocalCluster {
    /** Worker count = executor JVM count. */
    int workers() default 2;

    /** Cores per worker (one executor per worker takes them all). */
    int coresPerWorker() default 1;

    /** Memory a worker offers, MiB (the third number of the master URL). */
    int workerMemoryMb() default 1024;

    /** {@code spark.executor.memory}: at most {@link #workerMemoryMb()}, at least 450m without spark.testing. */
    String executorMemory() default "512m";

    /** How long to wait for all executors to register before failing with their stderr. */
    int startupTimeoutSeconds() default 120;

    /** Extra Spark settings, made just before the cluster starts (they may point at files made then). */
    Class<? extends ClusterSettings> settings() default ClusterSettings.None.class;
}
