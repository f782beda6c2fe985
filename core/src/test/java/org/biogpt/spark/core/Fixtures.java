package org.biogpt.spark.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Paths of the reference fixtures copied into src/test/resources (see fixtures/SOURCE.md), and the
 * golden JSON read as arrays. The other modules' tests use it too, through core's test-jar.
 */
public final class Fixtures {
    private static JsonNode golden;
    private static JsonNode tokenizerGolden;

    private Fixtures() {
    }

    /**
     * The biogpt-tiny folder: causal-lm/, causal-lm-bf16/, token-classification/, sequence-classification/.
     * Under surefire the {@code biogpt.fixtures} property names the fixtures folder (another module's
     * tests get this class from core's test-jar, which holds no fixtures); elsewhere, the test classpath.
     */
    public static Path tiny() {
        String dir = System.getProperty("biogpt.fixtures");
        if (dir != null) {
            return Path.of(dir).resolve("biogpt-tiny");
        }
        URL url = Fixtures.class.getResource("/fixtures/biogpt-tiny/README.md");
        if (url == null) {
            throw new IllegalStateException("fixtures/biogpt-tiny missing from the test classpath");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The biogpt-tiny-fairseq folder: re-prompt9/ (fairseq layout) and re-prompt9.golden.json. */
    public static Path fairseq() {
        return tiny().resolveSibling("biogpt-tiny-fairseq");
    }

    /** re-prompt9.golden.json, parsed. */
    public static JsonNode fairseqGolden() {
        try {
            return new ObjectMapper().readTree(fairseq().resolve("re-prompt9.golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path model(String folder) {
        return tiny().resolve(folder);
    }

    /** A copy of a fixture checkpoint at a new path, without the files named in {@code skip}. */
    public static Path copy(String folder, Path target, String... skip) {
        try (Stream<Path> files = Files.list(model(folder))) {
            Files.createDirectories(target);
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!Arrays.asList(skip).contains(f.getFileName().toString())) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** golden.json, parsed once per test JVM. */
    public static synchronized JsonNode golden() {
        if (golden == null) {
            golden = read("golden.json");
        }
        return golden;
    }

    /** tokenizer-golden.json (1000 PubMedQA sentences), parsed once per test JVM. */
    public static synchronized JsonNode tokenizerGolden() {
        if (tokenizerGolden == null) {
            tokenizerGolden = read("tokenizer-golden.json");
        }
        return tokenizerGolden;
    }

    private static JsonNode read(String name) {
        try {
            return new ObjectMapper().readTree(tiny().resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A golden JSON array of integers. */
    public static int[] ints(JsonNode n) {
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    /** A golden JSON array of integers, as longs (token ids as a model batch takes them). */
    public static long[] longs(JsonNode n) {
        long[] out = new long[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asLong();
        }
        return out;
    }

    /** A golden JSON array of numbers, as floats. */
    public static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }
}
