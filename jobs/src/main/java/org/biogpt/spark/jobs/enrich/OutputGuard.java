package org.biogpt.spark.jobs.enrich;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.biogpt.spark.jobs.io.JsonLines;

/**
 * What enrich checks before it writes, so that it never deletes what it was not asked to.
 * <ul>
 *   <li>No input may overlap the output, in any mode: the same folder, one inside the other, either way
 *       (local paths compared after resolving links, Hadoop paths after qualifying them). Overwriting
 *       would delete the input; reading and writing one folder would read the job's own output.</li>
 *   <li>{@code --mode overwrite} replaces only an earlier enrich output: a folder whose
 *       {@code _SUMMARY.json} enrich wrote and that holds nothing but what enrich writes (data files,
 *       partition folders, {@code _quarantine}, Spark's markers and checksums), or the
 *       {@code _temporary}/{@code _staging} left by a run that died. Anything else (another program's
 *       files, a folder of papers, a single file) is refused unless {@code --force} is given.</li>
 * </ul>
 */
final class OutputGuard {
    static final String SUMMARY = "_SUMMARY.json";
    private static final int NAMES_SHOWN = 5;

    private OutputGuard() {
    }

    static void check(Configuration conf, List<String> inputs, String output, WriteMode mode, boolean force) {
        try {
            Path out = canonical(conf, output);
            for (String input : inputs) {
                Path in = canonical(conf, withoutGlob(input));
                String overlap = overlap(in, out);
                if (overlap != null) {
                    throw new IllegalArgumentException("--output " + output + " " + overlap + " --input " + input
                            + ": enrich would read its own output" + (mode == WriteMode.OVERWRITE ? " and delete its input" : "")
                            + "; choose an output folder apart from every input");
                }
            }
            if (mode == WriteMode.OVERWRITE && !force) {
                String refusal = notAnEnrichOutput(out.getFileSystem(conf), out);
                if (refusal != null) {
                    throw new IllegalArgumentException("--mode overwrite refuses to delete " + output + ": " + refusal
                            + ". Only an earlier enrich output (its " + SUMMARY + " and the files enrich writes) is replaced;"
                            + " choose another --output, or pass --force to delete this one anyway");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check the output " + output + " against the inputs", e);
        }
    }

    /** "is", "is inside", "contains", or null when the paths are apart. */
    static String overlap(Path in, Path out) {
        URI a = in.toUri();
        URI b = out.toUri();
        if (!Objects.equals(a.getScheme(), b.getScheme()) || !Objects.equals(a.getAuthority(), b.getAuthority())) {
            return null;
        }
        String ip = slash(a.getPath());
        String op = slash(b.getPath());
        if (ip.equals(op)) {
            return "is";
        }
        if (op.startsWith(ip)) {
            return "is inside";
        }
        return ip.startsWith(op) ? "contains" : null;
    }

    private static String slash(String p) {
        return p.endsWith("/") ? p : p + "/";
    }

    /** The folder part of a glob ("in/*.xml" -> "in"): everything the glob can match lies under it. */
    static String withoutGlob(String input) {
        int glob = -1;
        for (int i = 0; i < input.length(); i++) {
            if ("*?[{\\".indexOf(input.charAt(i)) >= 0) {
                glob = i;
                break;
            }
        }
        if (glob < 0) {
            return input;
        }
        int cut = input.lastIndexOf('/', glob);
        return cut <= 0 ? (cut == 0 ? "/" : ".") : input.substring(0, cut);
    }

    /**
     * The path qualified by its file system; a local one also with its links resolved (the longest
     * existing ancestor through {@code toRealPath}, the rest appended), so two names of one folder compare equal.
     */
    static Path canonical(Configuration conf, String path) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        Path q = fs.makeQualified(p);
        if (!"file".equals(q.toUri().getScheme())) {
            return q;
        }
        java.nio.file.Path local = java.nio.file.Path.of(q.toUri()).normalize();
        java.nio.file.Path existing = local;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return q;
        }
        java.nio.file.Path real = existing.toRealPath().resolve(existing.relativize(local));
        return new Path(real.toUri());
    }

    /** Null when {@code out} may be replaced by overwrite mode, else why not. */
    private static String notAnEnrichOutput(FileSystem fs, Path out) throws IOException {
        if (!fs.exists(out)) {
            return null;
        }
        FileStatus st = fs.getFileStatus(out);
        if (!st.isDirectory()) {
            return "it is a file, not an enrich output folder";
        }
        FileStatus[] entries = fs.listStatus(out);
        List<String> foreign = new ArrayList<>();
        boolean onlyLeftovers = true;
        for (FileStatus e : entries) {
            String name = e.getPath().getName();
            onlyLeftovers &= name.equals("_temporary") || name.equals(IncrementalCommit.STAGING);
            foreignEntries(fs, e, true, foreign);
        }
        if (!foreign.isEmpty()) {
            return "it holds " + foreign.size() + " entr" + (foreign.size() == 1 ? "y" : "ies") + " enrich does not write ("
                    + String.join(", ", foreign.subList(0, Math.min(NAMES_SHOWN, foreign.size())))
                    + (foreign.size() > NAMES_SHOWN ? ", ..." : "") + ")";
        }
        if (entries.length == 0 || onlyLeftovers) {
            return null;
        }
        Path summary = new Path(out, SUMMARY);
        if (!fs.exists(summary)) {
            return "it has no " + SUMMARY + " (not an enrich output, or one whose run did not finish)";
        }
        return writtenByEnrich(fs, summary) ? null : "its " + SUMMARY + " was not written by enrich";
    }

    /** Adds what under {@code e} enrich does not write: partition folders may hold only data files and markers. */
    private static void foreignEntries(FileSystem fs, FileStatus e, boolean top, List<String> foreign) throws IOException {
        String name = e.getPath().getName();
        if (e.isDirectory()) {
            boolean known = top && (name.equals("_quarantine") || name.equals("_temporary") || name.equals(IncrementalCommit.STAGING))
                    || name.startsWith("year=") || name.startsWith("input_file=") || name.startsWith("_deletes-");
            if (!known) {
                foreign.add(name + "/");
                return;
            }
            if (name.startsWith("year=") || name.startsWith("input_file=")) {
                for (FileStatus child : fs.listStatus(e.getPath())) {
                    foreignEntries(fs, child, false, foreign);
                }
            }
        } else if (!(name.startsWith("part-") || name.startsWith(".part-") && name.endsWith(".crc")
                || top && (name.equals(SUMMARY) || name.equals("._SUMMARY.json.crc") || name.equals("_SUCCESS")
                        || name.equals("._SUCCESS.crc")))) {
            foreign.add(name);
        }
    }

    private static boolean writtenByEnrich(FileSystem fs, Path summary) {
        try (InputStream in = fs.open(summary)) {
            JsonNode n = JsonLines.MAPPER.readTree(in.readNBytes(1 << 20));
            return n != null && n.path("counts").has("read") && n.path("versions").has("biogpt_spark");
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }
}
