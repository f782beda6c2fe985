package org.biogpt.spark.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Merges the JVM options a job needs into options a user already gave (a {@code --conf},
 * {@code spark-defaults.conf} or properties-file value of {@code spark.executor.extraJavaOptions}):
 * the user's options are kept as they are, in their order, and a needed option is appended only
 * when the user did not already decide it. A {@code -Dkey=value} the user set keeps the user's value
 * (even one that differs); {@code --add-modules} counts as given when any of the user's
 * {@code --add-modules} lists names the module.
 */
public final class JavaOptions {
    private JavaOptions() {
    }

    /** The user's options (may be null or blank) followed by each needed option they lack. */
    public static String merge(String user, List<String> needed) {
        List<String> given = split(user);
        List<String> out = new ArrayList<>();
        if (user != null && !user.isBlank()) {
            out.add(user.trim());
        }
        for (String option : needed) {
            if (!decided(given, option)) {
                out.add(option);
            }
        }
        return String.join(" ", out);
    }

    private static boolean decided(List<String> given, String option) {
        if (option.startsWith("-D")) {
            String key = systemPropertyKey(option);
            return given.stream().anyMatch(g -> g.startsWith("-D") && systemPropertyKey(g).equals(key));
        }
        String module = addedModule(option);
        if (module != null) {
            for (int i = 0; i < given.size(); i++) {
                String g = given.get(i);
                String list = g.startsWith("--add-modules=") ? g.substring("--add-modules=".length())
                        : g.equals("--add-modules") && i + 1 < given.size() ? given.get(i + 1) : null;
                if (list != null && List.of(list.split(",")).contains(module)) {
                    return true;
                }
            }
            return false;
        }
        return given.contains(option);
    }

    private static String systemPropertyKey(String option) {
        int eq = option.indexOf('=');
        return eq < 0 ? option.substring(2) : option.substring(2, eq);
    }

    private static String addedModule(String option) {
        return option.toLowerCase(Locale.ROOT).startsWith("--add-modules=") ? option.substring("--add-modules=".length())
                : null;
    }

    /** Whitespace-separated tokens; quotes group (as Spark splits extraJavaOptions) and are dropped. */
    static List<String> split(String options) {
        List<String> tokens = new ArrayList<>();
        if (options == null) {
            return tokens;
        }
        StringBuilder current = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            tokens.add(current.toString());
        }
        return tokens;
    }
}
