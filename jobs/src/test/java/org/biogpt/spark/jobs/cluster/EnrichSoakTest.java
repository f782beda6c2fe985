package org.biogpt.spark.jobs.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.sql.SparkSession;
import org.biogpt.spark.core.model.BioGptConfig;
import org.biogpt.spark.core.tokenizer.BioGptTokenizer;
import org.biogpt.spark.jobs.SparkSessions;
import org.biogpt.spark.jobs.corpus.CorpusFormat;
import org.biogpt.spark.jobs.enrich.EnrichJob;
import org.biogpt.spark.jobs.enrich.EnrichModels;
import org.biogpt.spark.jobs.enrich.EnrichSummary;
import org.biogpt.spark.jobs.enrich.EnrichTask;
import org.biogpt.spark.jobs.enrich.WriteMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak: enrich (entities, classify, embed with the tiny checkpoints) over the sample corpus resampled to
 * {@code -Dsoak.documents} (default 20000) new ids, in local mode, committed in 20 batches. After every
 * write job it records the process RSS ({@code VmRSS} of /proc/self/status: heap + native, libtorch
 * included) and the heap used after a full GC. An upward trend of RSS or heap after the warm-up batch
 * beyond noise fails the test. Not in CI; run it with
 * {@code mvn -B -pl jobs -am test -DskipSoak=false -Dtest=EnrichSoakTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("soak")
class EnrichSoakTest {
    private static final long MIB = 1 << 20;

    record Sample(String at, double seconds, long rssMib, long heapUsedMib, long heapCommittedMib) {
        @Override
        public String toString() {
            return String.format("%s t=%.0fs RSS %d MiB, heap used %d MiB (committed %d MiB)", at, seconds, rssMib,
                    heapUsedMib, heapCommittedMib);
        }
    }

    /** Least-squares slope of y over the sample index. */
    static double slope(List<Sample> samples, java.util.function.ToLongFunction<Sample> y) {
        int n = samples.size();
        double mx = (n - 1) / 2.0;
        double my = samples.stream().mapToLong(y).average().orElse(0);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (i - mx) * (y.applyAsLong(samples.get(i)) - my);
            den += (i - mx) * (i - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    static long rssMib() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static Sample sample(String at, long t0) {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        try {
            return new Sample(at, (System.nanoTime() - t0) / 1e9, rssMib(), heap.getUsed() / MIB, heap.getCommitted() / MIB);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void enrichOverTwentyThousandDocumentsHoldsMemorySteady(@TempDir Path dir) throws Exception {
        int documents = Integer.getInteger("soak.documents", 20_000);
        int batches = 20;
        Path input = dir.resolve("corpus");
        List<String> ids = SampleCorpus.resample(input, documents, 16);
        String out = dir.resolve("out").toString();
        SparkSession spark = SparkSessions.create("enrich-soak", "local[2]", Map.of("spark.sql.shuffle.partitions", "2"));
        List<Sample> samples = new CopyOnWriteArrayList<>();
        long t0 = System.nanoTime();
        samples.add(sample("start", t0));
        // A sample after every write stage (one per committed batch) and once a minute in between.
        SparkListener probe = new SparkListener() {
            private int writes;

            @Override
            public void onStageCompleted(SparkListenerStageCompleted e) {
                var m = e.stageInfo().taskMetrics();
                if (m != null && m.outputMetrics().recordsWritten() > 0) {
                    Sample s = sample("batch " + (++writes) + " (" + m.outputMetrics().recordsWritten() + " rows)", t0);
                    samples.add(s);
                    System.err.println("soak: " + s);
                }
            }
        };
        Thread ticker = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(60_000);
                    System.err.println("soak: " + sample("tick", t0));
                }
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
            }
        }, "soak-ticker");
        ticker.setDaemon(true);
        ticker.start();
        spark.sparkContext().addSparkListener(probe);
        EnrichSummary summary;
        try {
            Path lm = SampleCorpus.model("biogpt-tiny");
            summary = new EnrichJob(List.of(input.toString()), CorpusFormat.JSONL, out, "parquet",
                    EnrichModels.parse(SampleCorpus.modelSpecs()), EnrichTask.parseList("entities,classify,embed"), 16,
                    WriteMode.INCREMENTAL).withCommitEvery((documents + batches - 1) / batches)
                    .run(spark, BioGptConfig.load(lm), BioGptTokenizer.load(lm));
            spark.sparkContext().removeSparkListener(probe);
            ticker.interrupt();
            samples.add(sample("end", t0));
            assertEquals(documents, spark.read().parquet(out).select("id").distinct().count());
        } finally {
            spark.stop();
        }
        assertEquals(ids.size(), summary.written());

        // Warm-up = the first two committed batches (model loads, libtorch init, JIT); then compare with the end.
        List<Sample> writes = samples.stream().filter(s -> s.at().startsWith("batch")).toList();
        assertTrue(writes.size() >= 4, "too few batches sampled: " + samples);
        Sample warm = writes.get(1);
        Sample mid = writes.get(writes.size() / 2);
        Sample end = samples.get(samples.size() - 1);
        System.err.printf("soak: %d documents in %.1f s = %.1f documents/s%n", documents, summary.seconds(),
                documents / summary.seconds());
        System.err.println("soak: start   " + samples.get(0));
        System.err.println("soak: warm-up " + warm);
        System.err.println("soak: middle  " + mid);
        System.err.println("soak: end     " + end);
        // RSS swings by a few hundred MiB from batch to batch (glibc arenas, libtorch buffers, batch shapes),
        // so a leak is judged by the trend: least-squares slope over the batches after warm-up, projected
        // over the run. A leak of 20 KB per document would show as ~400 MiB over 20,000 documents.
        List<Sample> steady = writes.subList(1, writes.size());
        double rssGrowth = slope(steady, Sample::rssMib) * (steady.size() - 1);
        double heapGrowth = slope(steady, Sample::heapUsedMib) * (steady.size() - 1);
        double meanRss = steady.stream().mapToLong(Sample::rssMib).average().orElse(0);
        System.err.printf("soak: trend after warm-up over %d batches: RSS %+.0f MiB, heap after GC %+.0f MiB%n",
                steady.size(), rssGrowth, heapGrowth);
        assertTrue(rssGrowth <= Math.max(128, meanRss * 0.15), "RSS (heap + native) trends upwards: " + steady);
        assertTrue(heapGrowth <= 16, "heap after GC trends upwards: " + steady);
    }
}
