package org.biogpt.spark.udfs.metrics;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a stage's counters and throughput when a Spark stage that updated them completes. */
final class MetricsLogger extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsLogger.class);
    private final StageMetrics metrics;
    /** Documents already reported: the listener bus calls us from one thread. */
    private long reportedDocuments;

    MetricsLogger(StageMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted event) {
        StageInfo info = event.stageInfo();
        if (!info.accumulables().contains(metrics.documentsId())) {
            return;
        }
        MetricsSnapshot s = metrics.snapshot();
        long millis = info.completionTime().isDefined() && info.submissionTime().isDefined()
                ? (long) info.completionTime().get() - (long) info.submissionTime().get() : 0;
        long documents = s.documents() - reportedDocuments;
        reportedDocuments = s.documents();
        double perSecond = millis > 0 ? documents * 1000.0 / millis : 0;
        LOG.info("{}: Spark stage {} ran {} documents in {} ms ({} documents/s); totals: {}",
                metrics.name(), info.stageId(), documents, millis, String.format("%.1f", perSecond), s);
    }
}
