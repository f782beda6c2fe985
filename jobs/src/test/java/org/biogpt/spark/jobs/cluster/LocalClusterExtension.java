package org.biogpt.spark.jobs.cluster;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts Spark's {@code local-cluster[W,C,M]} master for one test class, from the Maven jars only.
 *
 * <p>Master and Workers run inside the test JVM; each executor is a child {@code java} process
 * running {@code CoarseGrainedExecutorBackend}. The launcher needs {@code $SPARK_HOME/jars} to exist
 * (it stays empty) and {@code SPARK_SCALA_VERSION}; the executors get the test classpath through
 * {@code spark.executor.extraClassPath}, the test JDK through {@code spark.executorEnv.JAVA_HOME}, and
 * the test JVM's {@code --add-opens} and DJL/log4j {@code -D} flags through
 * {@code spark.executor.extraJavaOptions} (Surefire's system properties do not reach them).
 *
 * <p>A bad executor option makes Spark relaunch executors forever, so start-up has its own timeout
 * and a failure shows the executors' stderr. Any session left in this JVM is stopped first and the new
 * one must really be a local-cluster one (getOrCreate would silently return the old one).
 */
public final class LocalClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalClusterExtension.class);

    /** The running cluster: its session and its executor processes. */
    public static final class Cluster {
        private final SparkSession spark;
        private final Path sparkHome;
        private final int workers;

        Cluster(SparkSession spark, Path sparkHome, int workers) {
            this.spark = spark;
            this.sparkHome = sparkHome;
            this.workers = workers;
        }

        public SparkSession spark() {
            return spark;
        }

        public int workers() {
            return workers;
        }

        /** Executors registered with the driver now (the driver's own entry excluded). */
        public int registeredExecutors() {
            return spark.sparkContext().statusTracker().getExecutorInfos().length - 1;
        }

        /** Pids of this JVM's child processes that run the executor backend: the executor JVMs. */
        public List<Long> executorPids() {
            return ProcessHandle.current().children()
                    .filter(p -> p.isAlive() && isExecutor(p.pid()))
                    .map(ProcessHandle::pid)
                    .sorted()
                    .collect(Collectors.toList());
        }

        /**
         * SIGKILLs one executor JVM. Refuses any pid that is not a live child of this JVM running the
         * executor backend, so a wrong pid can never hit an unrelated process.
         */
        public void killExecutor(long pid) throws Exception {
            ProcessHandle p = ProcessHandle.current().children().filter(c -> c.pid() == pid).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(pid + " is not a child of the test JVM"));
            if (!isExecutor(pid)) {
                throw new IllegalArgumentException(pid + " does not run " + EXECUTOR_MAIN);
            }
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -9 " + pid + " exited with " + kill.exitValue());
            }
            p.onExit().get(30, TimeUnit.SECONDS);
        }

        /** Waits until {@code n} executors are registered, or fails with their stderr. */
        public void awaitExecutors(int n, long timeoutMillis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (registeredExecutors() < n) {
                if (spark.sparkContext().isStopped()) {
                    throw new IllegalStateException("SparkContext stopped while waiting for executors\n" + executorStderr());
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("only " + registeredExecutors() + " of " + n
                            + " executors registered after " + timeoutMillis + " ms\n" + executorStderr());
                }
                Thread.sleep(50);
            }
        }

        /** The last lines of every executor's stderr of this application ({@code $SPARK_HOME/work/<app>/<id>/stderr}). */
        public String executorStderr() {
            Path app = sparkHome.resolve("work").resolve(spark.sparkContext().applicationId());
            StringBuilder sb = new StringBuilder();
            if (!Files.isDirectory(app)) {
                return "(no executor logs under " + app + ")";
            }
            try (Stream<Path> s = Files.walk(app)) {
                List<Path> logs = s.filter(p -> p.getFileName().toString().equals("stderr")).sorted()
                        .collect(Collectors.toList());
                // Relaunch loops leave hundreds of dirs: the first two and the last are enough to see why.
                Set<Path> shown = new LinkedHashSet<>(logs.subList(0, Math.min(2, logs.size())));
                if (!logs.isEmpty()) {
                    shown.add(logs.get(logs.size() - 1));
                }
                sb.append(logs.size()).append(" executor launch(es)");
                for (Path p : shown) {
                    List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                    sb.append("\n--- ").append(p).append('\n')
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
                }
            } catch (IOException | RuntimeException e) {
                sb.append("(cannot read executor logs: ").append(e).append(')');
            }
            return sb.toString();
        }
    }

    static boolean isExecutor(long pid) {
        // ProcessHandle.Info.commandLine() is cut at one page on Linux; the -cp alone is ~20 KB.
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ').contains(EXECUTOR_MAIN);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void beforeAll(ExtensionContext ctx) throws Exception {
        LocalCluster cfg = AnnotationSupport.findAnnotation(ctx.getRequiredTestClass(), LocalCluster.class)
                .orElseThrow(() -> new ExtensionConfigurationException("annotate the class with @LocalCluster"));
        String home = System.getenv("SPARK_HOME");
        if (home == null || !"127.0.0.1".equals(System.getenv("SPARK_LOCAL_IP"))) {
            throw new ExtensionConfigurationException("cluster tests need env SPARK_HOME (a folder; jars/ may be empty)"
                    + " and SPARK_LOCAL_IP=127.0.0.1: run them through the Surefire 'cluster-tests' execution");
        }
        Path sparkHome = Path.of(home).toAbsolutePath();
        Files.createDirectories(sparkHome.resolve("jars"));
        deleteTree(sparkHome.resolve("work")); // logs of earlier runs, possibly thousands from a relaunch loop

        stopExistingSessions();
        long start = System.nanoTime();
        SparkSession.Builder builder = SparkSession.builder();
        cfg.settings().getDeclaredConstructor().newInstance().settings().forEach(builder::config);
        SparkSession spark = builder
                .master("local-cluster[" + cfg.workers() + "," + cfg.coresPerWorker() + "," + cfg.workerMemoryMb() + "]")
                .appName(ctx.getRequiredTestClass().getSimpleName())
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.memory", cfg.executorMemory())
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", executorJavaOptions())
                .config("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"))
                .config("spark.executorEnv.SPARK_SCALA_VERSION", "2.13")
                .config("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                .config("spark.executorEnv.OPT_OUT_TRACKING", "true")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        if (!spark.sparkContext().master().startsWith("local-cluster")) {
            throw new ExtensionConfigurationException("got an existing session on " + spark.sparkContext().master());
        }
        Cluster cluster = new Cluster(spark, sparkHome, cfg.workers());
        try {
            cluster.awaitExecutors(cfg.workers(), cfg.startupTimeoutSeconds() * 1000L);
        } catch (IllegalStateException e) {
            stop(cluster);
            throw e;
        }
        System.err.printf("local-cluster[%d,%d,%d] up with executor pids %s in %.1f s%n", cfg.workers(),
                cfg.coresPerWorker(), cfg.workerMemoryMb(), cluster.executorPids(), (System.nanoTime() - start) / 1e9);
        ctx.getStore(NS).put("cluster", cluster);
    }

    /** The test JVM's --add-opens and DJL/log4j system properties (parent pom test.jvm.args), for executors. */
    static String executorJavaOptions() {
        List<String> opts = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Dai.djl.") || a.startsWith("-DDJL_CACHE_DIR=")
                    || a.startsWith("-Dlog4j2.configurationFile=")) {
                opts.add(a);
            }
        }
        if (opts.stream().noneMatch(o -> o.startsWith("-Dai.djl.offline="))) {
            opts.add("-Dai.djl.offline=true");
        }
        for (String o : opts) {
            if (o.contains(" ")) {
                throw new ExtensionConfigurationException("executor option with a space cannot be passed: " + o);
            }
        }
        return String.join(" ", opts);
    }

    private static void stopExistingSessions() {
        if (SparkSession.getActiveSession().isDefined()) {
            SparkSession.getActiveSession().get().stop();
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    @Override
    public void afterAll(ExtensionContext ctx) throws Exception {
        Cluster c = ctx.getStore(NS).remove("cluster", Cluster.class);
        if (c != null) {
            stop(c);
        }
    }

    private static void stop(Cluster c) {
        List<Long> pids = c.executorPids();
        c.spark.stop(); // stops executors, Workers and Master
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        for (long pid : pids) { // only our own executor children, by pid
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(20, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return e.getStore(NS).get("cluster", Cluster.class);
    }
}
