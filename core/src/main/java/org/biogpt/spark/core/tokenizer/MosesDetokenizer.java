package org.biogpt.spark.core.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * English Moses detokenization exactly as sacremoses 0.1.1 {@code MosesDetokenizer(lang="en").detokenize(tokens)}
 * does it: undo {@code @-@}, unescape, then attach punctuation, quotes and contractions to their
 * neighbours. Stateless and thread-safe.
 */
public final class MosesDetokenizer {
    /** Unescapes in the reference's order ({@code &amp;} last, so "&amp;lt;" becomes "&lt;"). */
    private static final String[][] UNESCAPES = {
        {"&bar;", "|"}, {"&#124;", "|"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&bra;", "["}, {"&ket;", "]"},
        {"&quot;", "\""}, {"&apos;", "'"}, {"&#91;", "["}, {"&#93;", "]"}, {"&amp;", "&"},
    };
    /** sacremoses.util CJKChars ranges; is_cjk excludes both ends of each range. */
    private static final int[][] CJK_RANGES = {
        {4352, 4607}, {11904, 42191}, {43072, 43135}, {44032, 55215}, {63744, 64255}, {65072, 65103},
        {65381, 65500}, {94208, 101119}, {110592, 110895}, {110960, 111359}, {131072, 196607},
    };

    public String detokenize(List<String> tokens) {
        String text = " " + String.join(" ", tokens) + " ";
        text = text.replace(" @-@ ", "-");
        for (String[] unescape : UNESCAPES) {
            if (text.indexOf('&') < 0) {
                break;
            }
            text = text.replace(unescape[0], unescape[1]);
        }
        List<String> words = CharClasses.splitPython(text);
        Map<String, Integer> quoteCounts = new HashMap<>();
        StringBuilder out = new StringBuilder(text.length());
        String prependSpace = " ";
        for (int i = 0; i < words.size(); i++) {
            String token = words.get(i);
            if (isCjk(token.codePointAt(0))) {
                String previous = i > 0 ? words.get(i - 1) : null;
                if (previous != null && isCjk(previous.codePointBefore(previous.length()))) {
                    out.append(token);
                } else {
                    out.append(prependSpace).append(token);
                }
                prependSpace = " ";
            } else if (allCodePoints(token, MosesDetokenizer::isCurrencyOrOpening)) {
                out.append(prependSpace).append(token);
                prependSpace = "";
            } else if (allCodePoints(token, cp -> ",.?!:;\\%}])".indexOf(cp) >= 0)) {
                out.append(token);
                prependSpace = " ";
            } else if (i > 0 && isContraction(token)) {
                out.append(token);
                prependSpace = " ";
            } else if (allCodePoints(token, cp -> "'\"„“`".indexOf(cp) >= 0)) {
                String normalized = allCodePoints(token, cp -> "„“”".indexOf(cp) >= 0) ? "\"" : token;
                int count = quoteCounts.getOrDefault(normalized, 0);
                if (count % 2 == 0) {
                    if (token.equals("'") && i > 0 && words.get(i - 1).endsWith("s")) {
                        // possessive of a word ending in s: "The Jones' house"
                        out.append(token);
                        prependSpace = " ";
                    } else {
                        out.append(prependSpace).append(token);
                        prependSpace = "";
                        quoteCounts.put(normalized, count + 1);
                    }
                } else {
                    out.append(token);
                    prependSpace = " ";
                    quoteCounts.put(normalized, count + 1);
                }
            } else {
                out.append(prependSpace).append(token);
                prependSpace = " ";
            }
        }
        return stripPython(collapseSpaces(out));
    }

    private static boolean isCurrencyOrOpening(int cp) {
        return CharClasses.CURRENCY.contains(cp) || "([{¿¡".indexOf(cp) >= 0;
    }

    /** {@code ^['][IsAlpha]}. */
    private static boolean isContraction(String token) {
        return token.length() > 1 && token.charAt(0) == '\''
                && CharClasses.ALPHA_PLAIN.contains(token.codePointAt(1));
    }

    static boolean isCjk(int cp) {
        for (int[] range : CJK_RANGES) {
            if (cp < range[1]) {
                return cp > range[0];
            }
        }
        return false;
    }

    private static boolean allCodePoints(String token, java.util.function.IntPredicate test) {
        return !token.isEmpty() && token.codePoints().allMatch(test);
    }

    /** {@code re.sub(" {2,}", " ", text)}. */
    private static String collapseSpaces(StringBuilder text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' && out.length() > 0 && out.charAt(out.length() - 1) == ' '
                    && i > 0 && text.charAt(i - 1) == ' ') {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String stripPython(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && CharClasses.isPythonSpace(text.charAt(from))) {
            from++;
        }
        while (to > from && CharClasses.isPythonSpace(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }
}
