package org.biogpt.spark.jobs.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Counts what the scheduler saw: task starts, failed attempts (and why), retries that succeeded, executor churn.
 * A retry is a successful attempt of a (stage, partition) that failed before: after a fetch failure Spark
 * resubmits the stage and the new stage attempt numbers its task attempts from 0 again.
 */
public final class FaultListener extends SparkListener {
    public final AtomicInteger tasksStarted = new AtomicInteger();
    public final AtomicInteger failedAttempts = new AtomicInteger();
    public final AtomicInteger succeededRetries = new AtomicInteger();
    public final AtomicInteger executorsAdded = new AtomicInteger();
    public final AtomicInteger executorsRemoved = new AtomicInteger();
    public final List<String> failureReasons = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> failedTasks = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
        tasksStarted.incrementAndGet();
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        String task = e.stageId() + ":" + e.taskInfo().partitionId(); // index restarts in a resubmitted stage
        if (e.taskInfo().successful()) {
            if (e.taskInfo().attemptNumber() > 0 || failedTasks.contains(task)) {
                succeededRetries.incrementAndGet();
            }
        } else {
            failedTasks.add(task);
            failedAttempts.incrementAndGet();
            failureReasons.add("stage " + e.stageId() + " partition " + e.taskInfo().partitionId() + " attempt "
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
