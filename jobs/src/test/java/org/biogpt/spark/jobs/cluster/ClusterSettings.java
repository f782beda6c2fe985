package org.biogpt.spark.jobs.cluster;

import java.util.Map;

/** Extra Spark settings of a {@link LocalCluster}, made by a public no-argument class just before it starts. */
public interface ClusterSettings {
    Map<String, String> settings() throws Exception;

    /** No extra settings. */
    final class None implements ClusterSettings {
        @Override
        public Map<String, String> settings() {
            return Map.of();
        }
    }
}
