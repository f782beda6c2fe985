package org.biogpt.spark.jobs.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.executor.ExecutorMetrics;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple2;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Documents are counted as they are processed: a running task's partial count, as its executor's
 * heartbeat reports it, shows before the task ends (one input file is one task).
 */
class ProgressReporterTest {
    private static final long COUNTER = 4242L;

    private static SparkListenerExecutorMetricsUpdate heartbeat(long taskId, long accumulatorId, long value) {
        AccumulableInfo info = new AccumulableInfo(accumulatorId, Option.apply("biogpt documents written"),
                Option.apply(value), Option.apply(value), false, false, Option.empty());
        var update = new Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>>(taskId, 3, 0,
                CollectionConverters.asScala(List.of(info)).toList());
        return new SparkListenerExecutorMetricsUpdate("driver",
                CollectionConverters.asScala(List.of(update)).toList(),
                scala.collection.immutable.Map$.MODULE$.<Tuple2<Object, Object>, ExecutorMetrics>empty());
    }

    @Test
    void runningTasksCountAsTheirHeartbeatsReportThemAndOtherAccumulatorsAreIgnored() {
        ProgressReporter p = new ProgressReporter(null, "enrich", 300, COUNTER);
        assertEquals(0, p.processed());
        p.onExecutorMetricsUpdate(heartbeat(7, COUNTER, 120));
        p.onExecutorMetricsUpdate(heartbeat(8, COUNTER, 30));
        p.onExecutorMetricsUpdate(heartbeat(8, 99, 1_000_000)); // some other accumulator of the same task
        assertEquals(150, p.processed());
        p.onExecutorMetricsUpdate(heartbeat(7, COUNTER, 200)); // a later heartbeat replaces the earlier count
        assertEquals(230, p.processed());
        assertTrue(p.line().contains("documents 230/300"), p.line());
    }
}
