package org.biogpt.spark.udfs.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one listener of a SparkContext that logs, when a Spark stage ends, the counters and throughput
 * of every BioGPT stage whose partitions it ran. It also keeps each stage's counters, so that they are
 * created once per stage and context.
 */
final class MetricsLogger extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsLogger.class);
    private final Map<String, StageCounters> counters = new ConcurrentHashMap<>();
    /** Documents already reported per stage: the listener bus calls us from one thread. */
    private final Map<String, Long> reportedDocuments = new ConcurrentHashMap<>();

    StageCounters counters(String name, java.util.function.Function<String, StageCounters> create) {
        return counters.computeIfAbsent(name, create);
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
        StageInfo info = event.stageInfo();
        for (StageCounters c : counters.values()) {
            if (info.accumulables().contains(c.documents.id())) {
                log(info, c);
            }
        }
    }

    private void log(StageInfo info, StageCounters c) {
        MetricsSnapshot s = c.totals();
        long millis = info.completionTime().isDefined() && info.submissionTime().isDefined()
                ? (long) info.completionTime().get() - (long) info.submissionTime().get() : 0;
        long documents = s.documents() - reportedDocuments.getOrDefault(c.name(), 0L);
        reportedDocuments.put(c.name(), s.documents());
        double perSecond = millis > 0 ? documents * 1000.0 / millis : 0;
        LOG.info("{}: Spark stage {} ran {} documents in {} ms ({} documents/s); totals: {}",
                c.name(), info.stageId(), documents, millis, String.format("%.1f", perSecond), s);
    }
}
