package org.biogpt.spark.udfs.model;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.biogpt.spark.core.checkpoint.CheckpointLoader;
import org.biogpt.spark.core.checkpoint.FairseqCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a model path as a user writes it into a local checkpoint directory, on the driver or an
 * executor:
 * <ul>
 *   <li>a local path, or a {@code file:} URI: used in place;</li>
 *   <li>any other scheme ({@code hdfs:}, {@code s3a:}, ...): copied through Hadoop's FileSystem into a
 *       local temporary directory, once per JVM and qualified path, whatever its spelling (later calls
 *       reuse the copy; deleted at JVM exit), with the content identity of the copied bytes
 *       ({@link FetchedCheckpoint});</li>
 *   <li>a relative name that Spark shipped with {@code --files}/{@code --archives} or
 *       {@code SparkContext.addFile}: found under {@link SparkFiles#getRootDirectory()}.</li>
 * </ul>
 * The driver only needs the tokenizer and config files ({@link #localiseMetadata}): weights are read
 * by the executors, never shipped through the driver. A microsoft/BioGPT fairseq folder keeps its
 * configuration inside its checkpoint, so there the driver's copy is the whole folder; a model path
 * may also name one {@code .pt} checkpoint of such a folder, which is copied with the folder's
 * dictionaries and bpecodes only.
 */
public final class ModelPaths {
    /** Small files the driver reads: tokenizer vocabulary and merges, and config.json. */
    public static final List<String> METADATA_FILES = List.of("config.json", "vocab.json", "merges.txt");

    private static final Logger LOG = LoggerFactory.getLogger(ModelPaths.class);
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");
    private static final Map<String, FetchedCheckpoint> COPIES = new ConcurrentHashMap<>();
    private static final Map<String, String> CANONICAL = new ConcurrentHashMap<>();
    private static final Map<String, Integer> COPY_COUNTS = new ConcurrentHashMap<>();

    private ModelPaths() {
    }

    /** The local checkpoint directory for a model path (whole checkpoint, weights included). */
    public static Path localise(String path) {
        return resolve(path, false);
    }

    /** A local directory holding at least {@link #METADATA_FILES} of the model path. */
    public static Path localiseMetadata(String path) {
        return resolve(path, true);
    }

    /**
     * On the driver, before any task runs: the form of a model path that executors should be given, after
     * checking that the driver can see it. A relative local directory becomes absolute (an executor's
     * working directory is not the driver's); a name shipped with {@code --files}/{@code --archives}
     * and remote URIs stay as they are. A path the driver cannot find fails here, with a hint for
     * cluster masters, instead of failing every task on every executor.
     */
    public static String forExecutors(String path) {
        return forExecutors(path, clusterMaster());
    }

    /** As {@link #forExecutors(String)}, with the application's master when it is not local mode (else null). */
    public static String forExecutors(String path, String clusterMaster) {
        if (path == null || path.isBlank()) {
            throw new ModelLoadException("model path is empty");
        }
        if (SCHEME.matcher(path).matches()) {
            URI uri = URI.create(path);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                return path;
            }
            checkLocal(Path.of(uri), path, clusterMaster);
            return path;
        }
        Path local = Path.of(path);
        if (!local.isAbsolute()) {
            if (shippedWithSpark(path) != null) {
                return path;
            }
            local = local.toAbsolutePath().normalize();
        }
        checkLocal(local, path, clusterMaster);
        return local.toString();
    }

    private static void checkLocal(Path local, String original, String master) {
        boolean fairseqFile = Files.isRegularFile(local) && FairseqCheckpoint.isLayout(local);
        if (!Files.isDirectory(local) && !fairseqFile) {
            throw new ModelLoadException("model path '" + original + "' is not a directory on the driver (resolved to "
                    + local + ")" + (Path.of(original).isAbsolute() ? "" : ", nor a name shipped with --files/--archives")
                    + (master == null ? "" : hintForCluster(master)));
        }
        if (master != null) {
            LOG.warn("model path {} is a local directory: with master {} every executor host must have it at this "
                    + "path{}", local, master, hintForCluster(master));
        }
    }

    private static String hintForCluster(String master) {
        return "; executors of master " + master + " read local paths on their own hosts: put the model on a "
                + "file system they all see (hdfs:///..., s3a://...) or ship it with --archives model.tar.gz#name "
                + "and give the name";
    }

    /** The master of the running application when it is not local mode, else null. */
    private static String clusterMaster() {
        SparkEnv env = SparkEnv.get();
        String master = env == null ? null : env.conf().get("spark.master", null);
        return master == null || master.startsWith("local") ? null : master;
    }

    /**
     * Fails unless the checkpoint at a path {@link #forExecutors} returned has weights in one of the layouts
     * the loader reads; a remote one is looked at through Hadoop's FileSystem, without copying anything.
     */
    public static void requireWeights(String executorPath, String who) {
        List<String> names = new ArrayList<>(Arrays.stream(CheckpointLoader.Format.values()).map(f -> f.fileName).toList());
        names.addAll(FairseqCheckpoint.CHECKPOINT_NAMES);
        boolean found;
        String where;
        if (SCHEME.matcher(executorPath).matches() && !executorPath.regionMatches(true, 0, "file:", 0, 5)) {
            try {
                org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(executorPath);
                FileSystem fs = dir.getFileSystem(HadoopConf.current());
                found = dir.getName().endsWith(".pt") && fs.isFile(dir); // one checkpoint of a fairseq folder
                for (String name : names) {
                    found |= fs.exists(new org.apache.hadoop.fs.Path(dir, name));
                }
                where = executorPath;
            } catch (IOException e) {
                throw new ModelLoadException(who + ": cannot list model path '" + executorPath + "': " + e.getMessage(), e);
            }
        } else {
            Path dir = localise(executorPath);
            found = Files.isRegularFile(dir) || names.stream().anyMatch(n -> Files.isRegularFile(dir.resolve(n)));
            where = dir.toString();
        }
        if (!found) {
            throw new ModelLoadException(who + ": model path '" + executorPath + "' has no weights (looked in " + where
                    + " for " + String.join(", ", names) + ")");
        }
    }

    /** How many times this JVM copied a remote path, under any spelling (0 or 1; for tests). */
    public static int copyCount(String uri) {
        try {
            return COPY_COUNTS.getOrDefault(canonicalRemote(uri), 0);
        } catch (ModelLoadException e) {
            return 0;
        }
    }

    private static Path resolve(String path, boolean metadataOnly) {
        if (path == null || path.isBlank()) {
            throw new ModelLoadException("model path is empty");
        }
        if (SCHEME.matcher(path).matches()) {
            URI uri = URI.create(path);
            if ("file".equalsIgnoreCase(uri.getScheme())) {
                return existing(Path.of(uri), path);
            }
            return copyViaHadoop(path, metadataOnly);
        }
        Path local = Path.of(path);
        if (!local.isAbsolute()) {
            Path shipped = shippedWithSpark(path);
            if (shipped != null) {
                return shipped;
            }
        }
        return existing(local.toAbsolutePath(), path);
    }

    private static Path shippedWithSpark(String name) {
        if (SparkEnv.get() == null) {
            return null;
        }
        try {
            Path p = Path.of(SparkFiles.get(name));
            return Files.exists(p) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Path existing(Path p, String original) {
        if (Files.isRegularFile(p) && FairseqCheckpoint.isLayout(p)) {
            return p; // one checkpoint file of a fairseq folder: core reads its dictionary and bpecodes beside it
        }
        if (!Files.isDirectory(p)) {
            String master = clusterMaster();
            throw new ModelLoadException("model path '" + original + "' is not a directory (resolved to " + p
                    + "; a relative name is looked up among files shipped with --files/--archives first)"
                    + (master == null || SparkEnv.get().executorId().equals("driver") ? "" : hintForCluster(master)));
        }
        return p;
    }

    /**
     * Copies a directory through Hadoop's FileSystem (any scheme it knows, {@code file:} included) to a
     * local temporary directory, once per JVM and path: every spelling of one path ({@code hdfs:///m},
     * {@code hdfs://nn:8020/m/}, {@code hdfs://nn:8020/x/../m}) is qualified and normalised through its
     * FileSystem first, so they share one copy. A full copy also serves later metadata-only requests; a
     * metadata copy is kept apart from it.
     */
    public static Path copyViaHadoop(String uri, boolean metadataOnly) {
        return fetch(uri, metadataOnly).local();
    }

    /** Whether a model path is read through Hadoop's FileSystem and copied to local disk (any scheme but file:). */
    public static boolean isRemote(String path) {
        return path != null && SCHEME.matcher(path).matches() && !"file".equalsIgnoreCase(URI.create(path).getScheme());
    }

    /** The whole checkpoint of a remote path, copied to local disk with its content identity (once per JVM). */
    static FetchedCheckpoint fetch(String uri) {
        return fetch(uri, false);
    }

    /** The copy {@link #fetch} made of a remote path, or null when this JVM has not fetched it. */
    static FetchedCheckpoint fetchedOrNull(String uri) {
        try {
            return COPIES.get(canonicalRemote(uri));
        } catch (ModelLoadException e) {
            return null;
        }
    }

    private static FetchedCheckpoint fetch(String uri, boolean metadataOnly) {
        String canonical = canonicalRemote(uri);
        FetchedCheckpoint full = COPIES.get(canonical);
        if (full != null) {
            return full;
        }
        String key = metadataOnly ? canonical + "#metadata" : canonical;
        return COPIES.computeIfAbsent(key, k -> {
            COPY_COUNTS.merge(k, 1, Integer::sum);
            return copy(uri, canonical, metadataOnly);
        });
    }

    /**
     * One spelling for every spelling of a remote path: qualified with its FileSystem's scheme and authority,
     * normalised ({@code .}, {@code ..}, doubled and trailing slashes) and resolved by the FileSystem itself
     * (links included, where it has them). Remembered per spelling, so tasks after the first ask no server.
     */
    static String canonicalRemote(String uri) {
        String known = CANONICAL.get(uri);
        if (known != null) {
            return known;
        }
        try {
            // Parsed twice: Hadoop drops a trailing slash before resolving dots, so "m/." is "m/" after one pass.
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(uri).toString());
            FileSystem fs = p.getFileSystem(HadoopConf.current());
            String canonical = fs.resolvePath(fs.makeQualified(p)).toString();
            CANONICAL.put(uri, canonical);
            return canonical;
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException("cannot resolve model path '" + uri + "': " + e.getMessage(), e);
        }
    }

    private static FetchedCheckpoint copy(String uri, String canonical, boolean metadataOnly) {
        try {
            org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(canonical);
            FileSystem fs = src.getFileSystem(HadoopConf.current());
            Path target = Files.createTempDirectory("biogpt-model-");
            deleteAtExit(target);
            FetchedCheckpoint copy = FetchedCheckpoint.fetch(fs, src, target, metadataOnly);
            LOG.info("copied model path {} ({}) to {}{}", uri, canonical, copy.local(),
                    metadataOnly ? " (metadata)" : ", content " + copy.contentId());
            return copy;
        } catch (IOException e) {
            throw new ModelLoadException("cannot copy model path '" + uri + "' to local disk: " + e.getMessage(), e);
        }
    }

    private static void deleteAtExit(Path dir) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException | UncheckedIOException ignored) {
                // best effort: a temp dir left behind is harmless
            }
        }));
    }
}
