package org.biogpt.spark.jobs.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/** Counts what the scheduler saw: task starts, failed attempts (and why), retries that succeeded, executor churn. */
public final class FaultListener extends SparkListener {
    public final AtomicInteger tasksStarted = new AtomicInteger();
    public final AtomicInteger failedAttempts = new AtomicInteger();
    public final AtomicInteger succeededRetries = new AtomicInteger();
    public final AtomicInteger executorsAdded = new AtomicInteger();
    public final AtomicInteger executorsRemoved = new AtomicInteger();
    public final List<String> failureReasons = new CopyOnWriteArrayList<>();

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
        tasksStarted.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskInfo().successful()) {
            if (e.taskInfo().attemptNumber() > 0) {
                succeededRetries.incrementAndGet();
            }
        } else {
            failedAttempts.incrementAndGet();
            failureReasons.add("stage " + e.stageId() + " task " + e.taskInfo().index() + " attempt "
                    + e.taskInfo().attemptNumber() + " on executor " + e.taskInfo().executorId() + ": "
                    + e.reason().toString());
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded e) {
        executorsAdded.incrementAndGet();
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        executorsRemoved.incrementAndGet();
    }

    @Override
    public String toString() {
        return "tasks started " + tasksStarted + ", failed attempts " + failedAttempts + ", succeeded retries "
                + succeededRetries + ", executors added " + executorsAdded + ", removed " + executorsRemoved
                + (failureReasons.isEmpty() ? "" : ", failures " + failureReasons);
    }
}
