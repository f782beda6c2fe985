package org.biogpt.spark.core.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The character classes sacremoses uses, read from the bundled {@code perluniprops.txt}. They come
 * from Perl's Unicode tables, not from Java's {@link Character}: the two disagree on a few hundred
 * code points, and parity with the reference needs the Perl ones.
 */
final class CharClasses {
    /** IsAlnum plus viramas and nuktas, as MosesTokenizer builds it. */
    static final CodePointSet ALNUM;
    /** IsAlpha plus viramas and nuktas, as MosesTokenizer builds it. */
    static final CodePointSet ALPHA;
    /** IsAlpha alone, as MosesDetokenizer uses it. */
    static final CodePointSet ALPHA_PLAIN;
    static final CodePointSet NUMBER;
    static final CodePointSet LOWER;
    static final CodePointSet CURRENCY;

    static {
        Map<String, CodePointSet> classes = load();
        CodePointSet indic = classes.get("ViramasNuktas");
        ALNUM = classes.get("IsAlnum").union(indic);
        ALPHA_PLAIN = classes.get("IsAlpha");
        ALPHA = ALPHA_PLAIN.union(indic);
        NUMBER = classes.get("IsN");
        LOWER = classes.get("IsLower");
        CURRENCY = classes.get("IsSc");
    }

    private CharClasses() {
    }

    /** Python's {@code str.isspace()}, which is also what {@code \s} and {@code str.split()} use. */
    static boolean isPythonSpace(int cp) {
        if (cp <= 0x20) {
            return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
        }
        if (cp < 0x85) {
            return false;
        }
        return cp == 0x85 || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Python's {@code str.split()}: the maximal runs of non-whitespace. */
    static List<String> splitPython(String text) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isPythonSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isPythonSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                parts.add(text.substring(start, i));
            }
        }
        return parts;
    }

    private static Map<String, CodePointSet> load() {
        Map<String, CodePointSet> classes = new HashMap<>();
        try (InputStream in = CharClasses.class.getResourceAsStream("perluniprops.txt")) {
            if (in == null) {
                throw new IllegalStateException("perluniprops.txt missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.indexOf(' ');
                classes.put(line.substring(0, space), CodePointSet.parseRanges(line.substring(space + 1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return classes;
    }
}
