package org.biogpt.spark.core.eval;

import org.biogpt.spark.core.task.PyText;

/**
 * The name rules of microsoft/BioGPT {@code hard_match_evaluation.py} (RE-DDI, RE-DTI):
 * {@code normalize_name}, and the two abbreviation variants {@code rm_abbr} ("aaa (bb)" → "aaa")
 * and {@code get_abbr} ("aaa (bb)" → "bb"), both normalised.
 */
public final class NameNormalizer {
    private static final String[] ROMAN = {"0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"};

    private NameNormalizer() {
    }

    /**
     * Strip; a last digit after a non-digit becomes a Roman numeral (when longer than 2 chars);
     * "-type" removed; everything but ASCII letters and digits removed.
     */
    public static String normalizeName(String name) {
        String s = PyText.strip(name);
        int[] cp = s.codePoints().toArray();
        int n = cp.length;
        if (n > 2 && cp[n - 1] >= '0' && cp[n - 1] <= '9' && !isNumeric(cp[n - 2])) {
            s = new String(cp, 0, n - 1) + ROMAN[cp[n - 1] - '0'];
        }
        s = s.replace("-type", "");
        return s.replaceAll("[^a-zA-Z0-9]+", "");
    }

    /** rm_abbr's rm: the name without a final "(abbreviation)", normalised. */
    public static String withoutAbbreviation(String name) {
        String s = PyText.strip(name);
        if (s.contains("(") && s.endsWith(")")) {
            return normalizeName(PyText.strip(s.substring(0, s.lastIndexOf('('))));
        }
        return normalizeName(s);
    }

    /** get_abbr's rm: the final "(abbreviation)" alone, normalised; else the whole name normalised. */
    public static String abbreviation(String name) {
        String s = PyText.strip(name);
        if (s.contains("(") && s.endsWith(")")) {
            return normalizeName(PyText.strip(s.substring(s.lastIndexOf('(') + 1, s.length() - 1)));
        }
        return normalizeName(s);
    }

    /** Python's str.isnumeric for one code point (Unicode number categories). */
    private static boolean isNumeric(int cp) {
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }
}
