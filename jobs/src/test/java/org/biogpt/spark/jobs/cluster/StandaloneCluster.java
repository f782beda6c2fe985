package org.biogpt.spark.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster as an operator runs one, from the Maven jars alone: a Master and a Worker,
 * each its own {@code java} process on 127.0.0.1, with a {@code SPARK_HOME} whose {@code jars/} holds
 * Spark's jars (the test class path less this project's own code and the libraries only its cluster jar
 * brings: DJL, picocli, progressbar), so that the application's jar has to carry them as on a real
 * cluster. Executors are children of the Worker; their command lines are recorded while they live.
 * {@link #close()} stops every process this class started, by pid, and any executor still alive.
 */
final class StandaloneCluster implements AutoCloseable {
    /** Library groups that only the application jar provides (Maven repository path fragments). */
    private static final List<String> APPLICATION_ONLY = List.of("/ai/djl/", "/info/picocli/", "/me/tongfei/",
            "/org/biogpt/");
    private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private final Path home;
    private final int port;
    private final List<Process> started = new ArrayList<>();
    private final Map<Long, String> executorCommandLines = new ConcurrentHashMap<>();
    private Process worker;
    private Thread watcher;
    private volatile boolean closing;

    private StandaloneCluster(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    /** Starts a Master and one Worker offering {@code cores} cores and {@code memoryMb} MiB; waits for both. */
    static StandaloneCluster start(Path home, int cores, int memoryMb) throws IOException, InterruptedException {
        deleteTree(home);
        Files.createDirectories(home.resolve("jars"));
        for (Path jar : sparkJars()) {
            Path link = home.resolve("jars").resolve(jar.getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, jar);
            }
        }
        StandaloneCluster c = new StandaloneCluster(home, freePort());
        try {
            c.launch("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(c.port), "--webui-port", "0"));
            c.awaitPort(60);
            c.worker = c.launch("worker", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", String.valueOf(cores), "--memory", memoryMb + "m", "--webui-port", "0",
                    "--work-dir", home.resolve("work").toString(), c.masterUrl()));
            c.awaitLog("worker", "Successfully registered with master", 60);
            c.watchExecutors();
            return c;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    Path home() {
        return home;
    }

    /** Command lines of every executor JVM seen so far, by pid. */
    Map<Long, String> executorCommandLines() {
        return Map.copyOf(executorCommandLines);
    }

    /** The stderr file of every executor the Worker ran ({@code work/<app>/<executor>/stderr}). */
    List<Path> executorLogs() throws IOException {
        Path work = home.resolve("work");
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(work, 3)) {
            return s.filter(p -> p.getFileName().toString().equals("stderr")).sorted().toList();
        }
    }

    /** A process with the cluster's environment and Spark's jars on its class path, output to {@code <home>/<name>.log}. */
    ProcessBuilder sparkProcess(String name, List<String> jvmOptions, List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home")); // executors on this JDK, not another one in the env
        env.put("OPT_OUT_TRACKING", "true");
        env.remove("SPARK_CONF_DIR");
        return pb;
    }

    /** Starts a process this cluster will stop on close. */
    Process run(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        started.add(p);
        return p;
    }

    String log(String name) throws IOException {
        Path f = home.resolve(name + ".log");
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    private Process launch(String name, List<String> mainAndArgs) throws IOException {
        return run(sparkProcess(name, List.of("-Xmx256m"), mainAndArgs));
    }

    private void awaitPort(int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                requireAlive("master");
                Thread.sleep(200);
            }
        }
        throw new AssertionError("master did not listen on " + port + " in " + seconds + " s:\n" + log("master"));
    }

    private void awaitLog(String name, String text, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!log(name).contains(text)) {
            requireAlive(name);
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not log '" + text + "' in " + seconds + " s:\n" + log(name));
            }
            Thread.sleep(200);
        }
    }

    private void requireAlive(String name) throws IOException {
        for (Process p : started) {
            if (!p.isAlive()) {
                throw new AssertionError(name + ": a cluster process exited with " + p.exitValue() + ":\n"
                        + log("master") + "\n" + log("worker"));
            }
        }
    }

    /** Records executor command lines (the Worker's children) every 100 ms: they exit with the application. */
    private void watchExecutors() {
        long workerPid = worker.pid();
        watcher = new Thread(() -> {
            while (!closing) {
                ProcessHandle.of(workerPid).ifPresent(w -> w.children().forEach(child -> {
                    if (!executorCommandLines.containsKey(child.pid())) {
                        String line = commandLine(child.pid());
                        if (line.contains(EXECUTOR_MAIN)) {
                            executorCommandLines.put(child.pid(), line);
                        }
                    }
                }));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "standalone-executor-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** /proc/pid/cmdline: ProcessHandle.Info cuts command lines longer than a page (the class path is). */
    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops what this class started, newest first (driver, Worker, Master), then any executor left. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        if (watcher != null) {
            watcher.interrupt();
        }
        for (int i = started.size() - 1; i >= 0; i--) {
            stop(started.get(i).toHandle());
        }
        for (long pid : executorCommandLines.keySet()) {
            ProcessHandle.of(pid).ifPresent(StandaloneCluster::stop);
        }
    }

    private static void stop(ProcessHandle p) {
        if (!p.isAlive()) {
            return;
        }
        p.destroy();
        try {
            p.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
        }
    }

    private static List<Path> sparkJars() {
        List<Path> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String unix = entry.replace(File.separatorChar, '/');
            Path p = Path.of(entry).toAbsolutePath();
            if (entry.endsWith(".jar") && APPLICATION_ONLY.stream().noneMatch(unix::contains)
                    && !p.getFileName().toString().startsWith("biogpt-spark-") && Files.isRegularFile(p)) {
                jars.add(p);
            }
        }
        return jars;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
