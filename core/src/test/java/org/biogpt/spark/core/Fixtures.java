package org.biogpt.spark.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of the reference fixtures copied into src/test/resources (see fixtures/SOURCE.md). */
public final class Fixtures {
    private static JsonNode golden;
    private static JsonNode tokenizerGolden;

    private Fixtures() {
    }

    /** The biogpt-tiny folder: causal-lm/, causal-lm-bf16/, token-classification/, sequence-classification/. */
    public static Path tiny() {
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
}
