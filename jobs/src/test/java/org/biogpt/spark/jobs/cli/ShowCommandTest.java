package org.biogpt.spark.jobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.biogpt.spark.jobs.Main;
import org.biogpt.spark.jobs.io.TerminalText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show} prints what the data holds, never terminal control sequences from it. */
class ShowCommandTest {

    @Test
    void controlCharactersFromTheDataArePrintedEscaped(@TempDir Path dir) throws IOException {
        Path out = Files.createDirectories(dir.resolve("enriched"));
        // a title that would clear the screen and set the window title, an abstract with a bell and a bidi override
        Files.writeString(out.resolve("part-00000.json"),
                "{\"id\": \"1\", \"title\": \"Hidden\\u001b[2J\\u001b]0;pwned\\u0007 title\", \"text\": \"ring\\u0007 \\u202eevil\"}\n");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.execute("show", out.toString());
        } finally {
            System.setOut(saved);
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, printed);
        // Spark writes a bell as \a itself; what it leaves raw (ESC, the bidi override) is escaped here
        assertTrue(printed.contains("Hidden\\x1b[2J\\x1b]0;pwned\\a title"), printed);
        assertTrue(printed.contains("ring\\a \\u202eevil"), printed);
        assertTrue(printed.contains("rows: 1"), printed);
        for (char c : new char[] {'\u001b', '\u0007', '\u202e'}) {
            assertFalse(printed.indexOf(c) >= 0, "raw U+" + Integer.toHexString(c) + " printed");
        }
    }

    @Test
    void escapingKeepsOrdinaryTextAndOptionallyLineFeeds() {
        assertEquals("Ölsäure & β-Carotin\t", TerminalText.escape("Ölsäure & β-Carotin\t").replace("\\x09", "\t"));
        assertEquals("a\\x0ab", TerminalText.escape("a\nb"));
        assertEquals("a\nb\\x0d", TerminalText.escapeKeepingLines("a\nb\r"));
        assertEquals("\\x9b\\x7f\\u200b", TerminalText.escape("\u009b\u007f\u200b"));
    }
}
