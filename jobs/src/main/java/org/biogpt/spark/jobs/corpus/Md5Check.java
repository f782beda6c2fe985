package org.biogpt.spark.jobs.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Checks a file against the {@code .md5} file beside it, in NLM's form
 * ({@code MD5(pubmed25n0001.xml.gz)= 0123...}) or md5sum's ({@code 0123...  pubmed25n0001.xml.gz}).
 */
final class Md5Check {
    private static final Pattern HEX = Pattern.compile("(?<![0-9a-fA-F])([0-9a-fA-F]{32})(?![0-9a-fA-F])");

    private Md5Check() {
    }

    /** Null when the file matches its checksum, else why it does not (or cannot be checked). */
    static String problem(Configuration conf, String file) throws IOException {
        Path data = new Path(file);
        Path sum = new Path(file + ".md5");
        FileSystem fs = data.getFileSystem(conf);
        if (!fs.exists(sum)) {
            return "--verify-md5: no checksum file " + sum.getName() + " beside it";
        }
        String expected;
        try (InputStream in = fs.open(sum)) {
            String text = new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
            Matcher m = HEX.matcher(text);
            if (!m.find()) {
                return "--verify-md5: " + sum.getName() + " holds no MD5 checksum";
            }
            expected = m.group(1).toLowerCase(java.util.Locale.ROOT);
        }
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(data, buf.length)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md5.update(buf, 0, n);
            }
        }
        String actual = HexFormat.of().formatHex(md5.digest());
        return actual.equals(expected) ? null
                : "MD5 " + actual + " does not match " + expected + " in " + sum.getName()
                        + " (corrupt or incomplete download); nothing was read from it";
    }
}
