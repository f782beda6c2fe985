package org.biogpt.spark.core.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Moses' English non-breaking prefixes (bundled {@code nonbreaking_prefix.en}, from sacremoses 0.1.1):
 * a word ending in a period whose stem is listed (say {@code Dr.}) keeps its period.
 */
final class NonBreakingPrefixes {
    static final NonBreakingPrefixes ENGLISH = load("nonbreaking_prefix.en");

    /** Whole lines of the file, "No #NUMERIC_ONLY#" included, as sacremoses compares against them. */
    private final Set<String> prefixes;
    /** Stems of the "#NUMERIC_ONLY#" lines: they keep their period only before a number. */
    private final Set<String> numericOnly;

    private NonBreakingPrefixes(Set<String> prefixes, Set<String> numericOnly) {
        this.prefixes = prefixes;
        this.numericOnly = numericOnly;
    }

    boolean isPrefix(String stem) {
        return prefixes.contains(stem);
    }

    boolean isNumericOnly(String stem) {
        return numericOnly.contains(stem);
    }

    private static NonBreakingPrefixes load(String resource) {
        Set<String> prefixes = new HashSet<>();
        Set<String> numericOnly = new HashSet<>();
        try (InputStream in = NonBreakingPrefixes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                prefixes.add(line);
                // sacremoses: has_numeric_only = re.search(r"[\s]+(\#NUMERIC_ONLY\#)", w); stem = w.rpartition(" ")[0]
                if (line.matches("(?s).*\\s+#NUMERIC_ONLY#.*")) {
                    numericOnly.add(line.substring(0, Math.max(0, line.lastIndexOf(' '))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new NonBreakingPrefixes(prefixes, numericOnly);
    }
}
