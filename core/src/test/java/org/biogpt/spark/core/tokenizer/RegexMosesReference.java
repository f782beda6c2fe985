package org.biogpt.spark.core.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A literal regex port of sacremoses 0.1.1 MosesTokenizer.tokenize (English, aggressive dash
 * splits, escape), one java.util.regex substitution per {@code re.sub} of the reference, kept as
 * the oracle that the scanning {@link MosesTokenizer} is differential-tested against. Slow (the
 * Perl classes become regex classes of hundreds of ranges); tests only.
 */
final class RegexMosesReference {
    private static final String SPACE = "\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}"
            + "\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";
    private static final Map<String, String> CLASSES = loadClasses();
    private static final String ALNUM = CLASSES.get("IsAlnum") + CLASSES.get("ViramasNuktas");
    private static final String ALPHA = CLASSES.get("IsAlpha") + CLASSES.get("ViramasNuktas");
    private static final String NUM = CLASSES.get("IsN");
    private static final String[][] RULES = {
        {"([^" + ALNUM + SPACE + "\\.'`,\\-])", " $1 "},
        {"([" + ALNUM + "])-(?=[" + ALNUM + "])", "$1 @-@ "},
    };
    private static final String[][] COMMAS = {
        {"([^" + NUM + "])[,]", "$1 , "},
        {"[,]([^" + NUM + "])", " , $1"},
        {"([" + NUM + "])[,]$", "$1 , "},
    };
    private static final String[][] APOSTROPHES = {
        {"([^" + ALPHA + "])[']([^" + ALPHA + "])", "$1 ' $2"},
        {"([^" + ALPHA + NUM + "])[']([" + ALPHA + "])", "$1 ' $2"},
        {"([" + ALPHA + "])[']([^" + ALPHA + "])", "$1 ' $2"},
        {"([" + ALPHA + "])[']([" + ALPHA + "])", "$1 '$2"},
        {"([" + NUM + "])[']([s])", "$1 '$2"},
    };
    private static final Map<String, Pattern> COMPILED = new HashMap<>();

    private final NonBreakingPrefixes prefixes = NonBreakingPrefixes.ENGLISH;

    private static String sub(String regex, String replacement, String text) {
        Pattern pattern;
        synchronized (COMPILED) {
            pattern = COMPILED.computeIfAbsent(regex, Pattern::compile);
        }
        return pattern.matcher(text).replaceAll(replacement);
    }

    List<String> tokenize(String text) {
        text = sub("[" + SPACE + "]+", " ", text);
        text = sub("[\\x00-\\x1F]", "", text);
        text = strip(text);
        for (String[] rule : RULES) {
            text = sub(rule[0], rule[1], text);
        }
        text = sub("\\.([\\.]+)", " DOTMULTI$1", text);
        while (Pattern.compile("DOTMULTI\\.").matcher(text).find()) {
            text = sub("DOTMULTI\\.([^\\.])", "DOTDOTMULTI $1", text);
            text = sub("DOTMULTI\\.", "DOTDOTMULTI", text);
        }
        for (String[] rule : COMMAS) {
            text = sub(rule[0], rule[1], text);
        }
        for (String[] rule : APOSTROPHES) {
            text = sub(rule[0], rule[1], text);
        }
        text = nonBreaking(text);
        text = strip(sub("[" + SPACE + "]+", " ", text));
        text = sub("\\.' ?$", " . ' ", text);
        while (text.contains("DOTDOTMULTI")) {
            text = sub("DOTDOTMULTI", "DOTMULTI.", text);
        }
        text = sub("DOTMULTI", ".", text);
        String[][] escapes = {{"&", "&amp;"}, {"\\|", "&#124;"}, {"<", "&lt;"}, {">", "&gt;"}, {"'", "&apos;"},
            {"\"", "&quot;"}, {"\\[", "&#91;"}, {"]", "&#93;"}};
        for (String[] escape : escapes) {
            text = sub(escape[0], escape[1], text);
        }
        return CharClasses.splitPython(text);
    }

    private String nonBreaking(String text) {
        List<String> tokens = new ArrayList<>(CharClasses.splitPython(text));
        for (int i = 0; i < tokens.size(); i++) {
            Matcher m = Pattern.compile("^(\\S+)\\.$").matcher(tokens.get(i));
            if (!m.find()) {
                continue;
            }
            String prefix = m.group(1);
            boolean anyAlpha = prefix.codePoints().anyMatch(CharClasses.ALPHA::contains);
            boolean keep = (prefix.contains(".") && anyAlpha)
                    || (prefixes.isPrefix(prefix) && !prefixes.isNumericOnly(prefix))
                    || (i != tokens.size() - 1 && CharClasses.LOWER.contains(tokens.get(i + 1).codePointAt(0)));
            if (!keep && !(prefixes.isNumericOnly(prefix) && i + 1 < tokens.size()
                    && tokens.get(i + 1).matches("^[0-9]+.*"))) {
                tokens.set(i, prefix + " .");
            }
        }
        return String.join(" ", tokens);
    }

    private static String strip(String text) {
        return text.replaceAll("^[" + SPACE + "]+|[" + SPACE + "]+$", "");
    }

    private static Map<String, String> loadClasses() {
        Map<String, String> classes = new HashMap<>();
        try (InputStream in = CharClasses.class.getResourceAsStream("perluniprops.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ");
                StringBuilder regex = new StringBuilder();
                for (int i = 1; i < parts.length; i++) {
                    String[] range = parts[i].split("-");
                    regex.append("\\x{").append(range[0]).append('}');
                    if (range.length == 2) {
                        regex.append("-\\x{").append(range[1]).append('}');
                    }
                }
                classes.put(parts[0], regex.toString());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return classes;
    }
}
