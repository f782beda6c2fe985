package org.biogpt.spark.udfs.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.biogpt.spark.core.checkpoint.FairseqCheckpoint;

/**
 * A checkpoint copied from a Hadoop file system ({@code hdfs:}, {@code s3a:}, ...) into a local folder, and
 * the content identity of what was copied: a SHA-256 over every copied file's relative name, size and
 * SHA-256, taken while the bytes stream through the copy (the copy reads every byte anyway, so the identity
 * costs hashing, not a second read). The model cache keys a fetched copy by it: the same bytes under two
 * remote locations are one model, and a checkpoint that differs in any byte is another, even with the same
 * file names and sizes (a fine-tune of the same shape has those).
 *
 * @param local     the local checkpoint: the copied folder, or the {@code .pt} file of a fairseq folder
 * @param contentId {@code sha256:} and the hex digest
 */
record FetchedCheckpoint(Path local, String contentId) {
    private static final int BUFFER = 1 << 20;

    /**
     * Copies a remote checkpoint (a folder, or one {@code .pt} file of a fairseq folder with the folder's
     * dictionaries and bpecodes) into {@code target}, which must exist and be empty.
     *
     * @param metadataOnly copy only {@link ModelPaths#METADATA_FILES} (the driver's tokenizer and config),
     *                     unless the folder is a fairseq one, whose configuration is inside its checkpoint
     */
    static FetchedCheckpoint fetch(FileSystem fs, org.apache.hadoop.fs.Path src, Path target, boolean metadataOnly)
            throws IOException {
        Copier copier = new Copier(fs);
        FileStatus status = fs.getFileStatus(src);
        if (!status.isDirectory()) {
            if (!src.getName().endsWith(".pt")) {
                throw new IOException("not a directory");
            }
            for (FileStatus st : fs.listStatus(src.getParent())) {
                String name = st.getPath().getName();
                boolean dictionary = name.startsWith("dict.") && name.endsWith(".txt");
                if (st.isFile() && (dictionary || name.equals(FairseqCheckpoint.BPE_CODES) || name.equals(src.getName()))) {
                    copier.file(st.getPath(), target, name);
                }
            }
            return new FetchedCheckpoint(child(target, src.getName()), copier.contentId());
        }
        Path folder = child(target, src.getName());
        Files.createDirectory(folder);
        if (metadataOnly && !isFairseqFolder(fs, src)) {
            for (String name : ModelPaths.METADATA_FILES) {
                org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(src, name);
                if (fs.exists(file)) {
                    copier.file(file, folder, name);
                }
            }
        } else {
            copier.tree(src, folder, "");
        }
        return new FetchedCheckpoint(folder, copier.contentId());
    }

    private static boolean isFairseqFolder(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        return !fs.exists(new org.apache.hadoop.fs.Path(dir, "config.json"))
                && fs.exists(new org.apache.hadoop.fs.Path(dir, FairseqCheckpoint.BPE_CODES));
    }

    /** {@code dir/name} for a name a remote listing gave, refused unless it stays directly inside dir. */
    private static Path child(Path dir, String name) throws IOException {
        Path p = dir.resolve(name).normalize();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || !dir.equals(p.getParent())) {
            throw new IOException("refusing remote file name '" + name + "' (it would leave " + dir + ")");
        }
        return p;
    }

    /** Copies files while hashing them; the digest of each file is kept under its path relative to the copy's root. */
    private static final class Copier {
        private final FileSystem fs;
        private final Map<String, Entry> entries = new TreeMap<>();

        private record Entry(long size, byte[] sha256) {
        }

        Copier(FileSystem fs) {
            this.fs = fs;
        }

        void tree(org.apache.hadoop.fs.Path src, Path dir, String prefix) throws IOException {
            for (FileStatus st : fs.listStatus(src)) {
                String name = st.getPath().getName();
                if (st.isDirectory()) {
                    Path sub = child(dir, name);
                    Files.createDirectory(sub);
                    tree(st.getPath(), sub, prefix + name + "/");
                } else if (st.isFile()) {
                    file(st.getPath(), dir, prefix + name);
                } else {
                    throw new IOException("'" + st.getPath() + "' is neither a file nor a folder");
                }
            }
        }

        void file(org.apache.hadoop.fs.Path src, Path dir, String relative) throws IOException {
            Path dst = child(dir, src.getName());
            MessageDigest md = sha256();
            long size = 0;
            byte[] buf = new byte[BUFFER];
            try (InputStream in = fs.open(src);
                 OutputStream out = Files.newOutputStream(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                    out.write(buf, 0, n);
                    size += n;
                }
            }
            entries.put(relative, new Entry(size, md.digest()));
        }

        /** SHA-256 over (name length, name, size, file digest) per file in name order: no two listings collide. */
        String contentId() {
            MessageDigest md = sha256();
            for (Map.Entry<String, Entry> e : entries.entrySet()) {
                byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
                md.update(longBytes(name.length));
                md.update(name);
                md.update(longBytes(e.getValue().size()));
                md.update(e.getValue().sha256());
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        }
    }

    private static byte[] longBytes(long v) {
        byte[] b = new byte[8];
        for (int i = 7; i >= 0; i--, v >>>= 8) {
            b[i] = (byte) v;
        }
        return b;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
