package org.biogpt.spark.core.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * English Moses tokenization exactly as sacremoses 0.1.1 does
 * {@code MosesTokenizer(lang="en").tokenize(text, aggressive_dash_splits=True, escape=True)}.
 *
 * <p>Each pass below reproduces one {@code re.sub} of the reference, in the same order, over code
 * points (Python strings are code point sequences; a lone surrogate is one code point in both).
 * The substitutions are written as scans instead of {@link Pattern}s because their character
 * classes (Perl's IsAlnum, IsAlpha, IsN) hold thousands of code points, which Java regex tests
 * range by range. A Python regex scans left to right and resumes after each match, so a pass that
 * consumes k code points per match advances by k after a match and by one otherwise.
 *
 * <p>Stateless and thread-safe.
 */
public final class MosesTokenizer {
    private static final Pattern MULTIDOT = Pattern.compile("\\.(\\.+)");
    private static final Pattern DOTMULTI_DOT_OTHER = Pattern.compile("DOTMULTI\\.([^.])");
    private static final String DOTMULTI_DOT = "DOTMULTI.";

    private final NonBreakingPrefixes prefixes = NonBreakingPrefixes.ENGLISH;

    /** The escaped Moses tokens of {@code text}; empty for blank text. */
    public List<String> tokenize(String text) {
        CodePointBuffer t = collapseSpacesAndDropControls(text);
        t = padNonAlnumAndSplitHyphens(t);
        t = replaceMultidots(t);
        t = separateCommas(t);
        t = englishApostrophes(t);
        t = nonBreakingPrefixes(t);
        t = splitTrailingDotApostrophe(t);
        t = restoreMultidots(t);
        return escapeAndSplit(t);
    }

    /** {@code \s+ -> " "}, then {@code [\000-\037] -> ""}, then strip(). */
    private static CodePointBuffer collapseSpacesAndDropControls(String in) {
        CodePointBuffer out = new CodePointBuffer(in.length());
        boolean inSpaceRun = false;
        for (int i = 0; i < in.length(); ) {
            int cp = in.codePointAt(i);
            i += Character.charCount(cp);
            if (CharClasses.isPythonSpace(cp)) {
                if (!inSpaceRun) {
                    out.add(' ');
                }
                inSpaceRun = true;
            } else {
                inSpaceRun = false;
                if (cp >= 0x20) {
                    out.add(cp);
                }
            }
        }
        // Control characters are removed after the space collapse, so "a \1 b" keeps two spaces:
        // only the ends are stripped here, as the reference does.
        int from = 0;
        int to = out.length;
        while (from < to && out.data[from] == ' ') {
            from++;
        }
        while (to > from && out.data[to - 1] == ' ') {
            to--;
        }
        if (from == 0 && to == out.length) {
            return out;
        }
        CodePointBuffer stripped = new CodePointBuffer(to - from);
        stripped.addAll(out, from, to);
        return stripped;
    }

    /**
     * {@code ([^IsAlnum\s.'`,-]) -> " \1 "} then {@code ([IsAlnum])\-(?=[IsAlnum]) -> "\1 @-@ "}, in
     * one scan: padding never touches an alphanumeric or a hyphen, so a hyphen's neighbours are
     * alphanumeric after padding exactly when they were before it.
     */
    private static CodePointBuffer padNonAlnumAndSplitHyphens(CodePointBuffer in) {
        CodePointBuffer out = new CodePointBuffer(in.length + in.length / 4);
        for (int i = 0; i < in.length; i++) {
            int cp = in.data[i];
            if (cp == '-') {
                if (i > 0 && i + 1 < in.length
                        && CharClasses.ALNUM.contains(in.data[i - 1]) && CharClasses.ALNUM.contains(in.data[i + 1])) {
                    out.addAscii(" @-@ ");
                } else {
                    out.add(cp);
                }
            } else if (CharClasses.ALNUM.contains(cp) || CharClasses.isPythonSpace(cp)
                    || cp == '.' || cp == '\'' || cp == '`' || cp == ',') {
                out.add(cp);
            } else {
                out.add(' ', cp, ' ');
            }
        }
        return out;
    }

    /**
     * sacremoses' replace_multidots, kept literal (it rewrites runs of dots into DOTMULTI markers
     * that later passes see, and a literal "DOTMULTI" in the input is affected too).
     */
    private static CodePointBuffer replaceMultidots(CodePointBuffer in) {
        if (!in.contains("..")) {
            return in;
        }
        String text = MULTIDOT.matcher(in.toString()).replaceAll(" DOTMULTI$1");
        while (text.contains(DOTMULTI_DOT)) {
            text = DOTMULTI_DOT_OTHER.matcher(text).replaceAll("DOTDOTMULTI $1");
            text = text.replace(DOTMULTI_DOT, "DOTDOTMULTI");
        }
        return CodePointBuffer.of(text);
    }

    /** sacremoses' restore_multidots. */
    private static CodePointBuffer restoreMultidots(CodePointBuffer in) {
        if (!in.contains("DOTMULTI")) {
            return in;
        }
        String text = in.toString();
        while (text.contains("DOTDOTMULTI")) {
            text = text.replace("DOTDOTMULTI", "DOTMULTI.");
        }
        return CodePointBuffer.of(text.replace("DOTMULTI", "."));
    }

    /** {@code ([^IsN])[,] -> "\1 , "}, {@code [,]([^IsN]) -> " , \1"}, {@code ([IsN])[,]$ -> "\1 , "}. */
    private static CodePointBuffer separateCommas(CodePointBuffer in) {
        if (!in.contains(",")) {
            return in;
        }
        CodePointBuffer first = new CodePointBuffer(in.length + 16);
        int i = 0;
        while (i < in.length) {
            int cp = in.data[i];
            if (i + 1 < in.length && in.data[i + 1] == ',' && !CharClasses.NUMBER.contains(cp)) {
                first.add(cp);
                first.add(' ', ',', ' ');
                i += 2;
            } else {
                first.add(cp);
                i++;
            }
        }
        CodePointBuffer second = new CodePointBuffer(first.length + 16);
        i = 0;
        while (i < first.length) {
            int cp = first.data[i];
            if (cp == ',' && i + 1 < first.length && !CharClasses.NUMBER.contains(first.data[i + 1])) {
                second.add(' ', ',', ' ');
                second.add(first.data[i + 1]);
                i += 2;
            } else {
                second.add(cp);
                i++;
            }
        }
        int n = second.length;
        if (n >= 2 && second.data[n - 1] == ',' && CharClasses.NUMBER.contains(second.data[n - 2])) {
            second.length = n - 1;
            second.add(' ', ',', ' ');
        }
        return second;
    }

    /** The five English apostrophe rules, in order. */
    private static CodePointBuffer englishApostrophes(CodePointBuffer t) {
        if (!t.contains("'")) {
            return t;
        }
        // ([^IsAlpha])[']([^IsAlpha]) -> "\1 ' \2"
        t = apostrophe(t, Side.NOT_ALPHA, Side.NOT_ALPHA, true);
        // ([^IsAlpha IsN])[']([IsAlpha]) -> "\1 ' \2"
        t = apostrophe(t, Side.NOT_ALPHA_OR_NUMBER, Side.ALPHA, true);
        // ([IsAlpha])[']([^IsAlpha]) -> "\1 ' \2"
        t = apostrophe(t, Side.ALPHA, Side.NOT_ALPHA, true);
        // ([IsAlpha])[']([IsAlpha]) -> "\1 '\2"
        t = apostrophe(t, Side.ALPHA, Side.ALPHA, false);
        // ([IsN])[']([s]) -> "\1 '\2"
        return apostrophe(t, Side.NUMBER, Side.LETTER_S, false);
    }

    private enum Side {
        ALPHA, NOT_ALPHA, NOT_ALPHA_OR_NUMBER, NUMBER, LETTER_S;

        boolean test(int cp) {
            switch (this) {
                case ALPHA:
                    return CharClasses.ALPHA.contains(cp);
                case NOT_ALPHA:
                    return !CharClasses.ALPHA.contains(cp);
                case NOT_ALPHA_OR_NUMBER:
                    return !CharClasses.ALPHA.contains(cp) && !CharClasses.NUMBER.contains(cp);
                case NUMBER:
                    return CharClasses.NUMBER.contains(cp);
                default:
                    return cp == 's';
            }
        }
    }

    /** One rule {@code (left)'(right)}: a space goes before the apostrophe, and after it if asked. */
    private static CodePointBuffer apostrophe(CodePointBuffer in, Side left, Side right, boolean spaceAfter) {
        CodePointBuffer out = new CodePointBuffer(in.length + 16);
        int i = 0;
        while (i < in.length) {
            int cp = in.data[i];
            if (i + 2 < in.length && in.data[i + 1] == '\'' && left.test(cp) && right.test(in.data[i + 2])) {
                out.add(cp);
                out.add(' ');
                out.add('\'');
                if (spaceAfter) {
                    out.add(' ');
                }
                out.add(in.data[i + 2]);
                i += 3;
            } else {
                out.add(cp);
                i++;
            }
        }
        return out;
    }

    /**
     * sacremoses' handles_nonbreaking_prefixes: split on whitespace and detach the final period of
     * a word unless the word is an abbreviation, then join with single spaces (which also does the
     * reference's following space clean-up and strip).
     */
    private CodePointBuffer nonBreakingPrefixes(CodePointBuffer in) {
        int[] words = splitOnSpaces(in);
        int count = words[0];
        CodePointBuffer out = new CodePointBuffer(in.length + 16);
        for (int w = 0; w < count; w++) {
            int from = words[1 + 2 * w];
            int to = words[2 + 2 * w];
            if (w > 0) {
                out.add(' ');
            }
            if (to - from >= 2 && in.data[to - 1] == '.' && !keepsPeriod(in, words, w)) {
                out.addAll(in, from, to - 1);
                out.add(' ');
                out.add('.');
            } else {
                out.addAll(in, from, to);
            }
        }
        return out;
    }

    private boolean keepsPeriod(CodePointBuffer in, int[] words, int w) {
        int from = words[1 + 2 * w];
        int stemEnd = words[2 + 2 * w] - 1;
        boolean hasDot = false;
        boolean hasAlpha = false;
        for (int i = from; i < stemEnd; i++) {
            hasDot |= in.data[i] == '.';
            hasAlpha |= CharClasses.ALPHA.contains(in.data[i]);
        }
        if (hasDot && hasAlpha) {
            return true;
        }
        String stem = in.substring(from, stemEnd);
        boolean numericOnly = prefixes.isNumericOnly(stem);
        if (prefixes.isPrefix(stem) && !numericOnly) {
            return true;
        }
        boolean hasNext = w + 1 < words[0];
        int nextStart = hasNext ? words[1 + 2 * (w + 1)] : -1;
        if (hasNext && CharClasses.LOWER.contains(in.data[nextStart])) {
            return true;
        }
        if (numericOnly && hasNext) {
            int first = in.data[nextStart];
            return first >= '0' && first <= '9';
        }
        return false;
    }

    /** {@code str.split()}: the count of words, then [from, to) of each maximal run of non-whitespace. */
    private static int[] splitOnSpaces(CodePointBuffer in) {
        int[] words = new int[in.length + 2];
        int i = 0;
        while (i < in.length) {
            while (i < in.length && CharClasses.isPythonSpace(in.data[i])) {
                i++;
            }
            int start = i;
            while (i < in.length && !CharClasses.isPythonSpace(in.data[i])) {
                i++;
            }
            if (i > start) {
                words[1 + 2 * words[0]] = start;
                words[2 + 2 * words[0]] = i;
                words[0]++;
            }
        }
        return words;
    }

    /** {@code \.' ?$ -> " . ' "} (the text is stripped here, so no trailing space). */
    private static CodePointBuffer splitTrailingDotApostrophe(CodePointBuffer in) {
        if (!in.endsWith('.', '\'')) {
            return in;
        }
        in.length -= 2;
        in.addAscii(" . ' ");
        return in;
    }

    /** escape_xml (each character's escape; {@code &} first so entities are not escaped twice) and split(). */
    private static List<String> escapeAndSplit(CodePointBuffer in) {
        List<String> tokens = new ArrayList<>(in.length / 4 + 8);
        StringBuilder token = new StringBuilder();
        for (int i = 0; i <= in.length; i++) {
            int cp = i < in.length ? in.data[i] : ' ';
            if (CharClasses.isPythonSpace(cp)) {
                if (token.length() > 0) {
                    tokens.add(token.toString());
                    token.setLength(0);
                }
                continue;
            }
            String escaped = Escapes.escape(cp);
            if (escaped != null) {
                token.append(escaped);
            } else {
                token.appendCodePoint(cp);
            }
        }
        return tokens;
    }
}
