package org.biogpt.spark.jobs.corpus;

import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.corpus;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.documents;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.errors;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.readAuto;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged compression, oversized records and JSON past the parser's limits, generated here (nothing
 * hostile is committed): each gives the right quarantine row and reading goes on where it can. The
 * memory side (gigabyte records under a 1 GB heap) is {@code HostileCorpusMemoryTest}.
 */
class HostileInputTest {
    private static final ReadOptions SMALL = new ReadOptions(1_000, false);

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static String line(String id) {
        return "{\"id\": \"" + id + "\", \"title\": \"T" + id + "\", \"text\": \"text " + id + "\"}\n";
    }

    private static String onlyError(List<Row> rows) {
        List<Row> e = errors(rows);
        assertEquals(1, e.size(), e.toString());
        return str(e.get(0), "error");
    }

    @Test
    void twoGoodMembersAreOneFile(@TempDir Path dir) throws IOException {
        Path f = Files.write(dir.resolve("two.jsonl.gz"), concat(gzip(line("1") + line("2")), gzip(line("3"))));
        List<Row> rows = readAuto(f);
        assertEquals(List.of(), errors(rows));
        assertEquals(List.of("1", "2", "3"), documents(rows).stream().map(r -> str(r, "id")).toList());
    }

    @Test
    void aSecondMemberWithABadMagicByteIsQuarantinedAtItsOffset(@TempDir Path dir) throws IOException {
        byte[] first = gzip(line("1") + line("2"));
        byte[] second = gzip(line("3") + line("4"));
        second[0] = 0x1e; // bad magic
        Path f = Files.write(dir.resolve("damaged.jsonl.gz"), concat(first, second));
        List<Row> rows = readAuto(f);
        assertEquals(List.of("1", "2"), documents(rows).stream().map(r -> str(r, "id")).toList());
        String reason = onlyError(rows);
        assertTrue(reason.contains("byte offset " + first.length + ", after gzip member 1"), reason);
        assertEquals(f.toString(), str(errors(rows).get(0), "source"));
    }

    @Test
    void trailingGarbageAfterTheLastMemberIsQuarantined(@TempDir Path dir) throws IOException {
        byte[] member = gzip(line("1"));
        Path f = Files.write(dir.resolve("garbage.jsonl.gz"), concat(member, "GARBAGE".getBytes(StandardCharsets.US_ASCII)));
        List<Row> rows = readAuto(f);
        assertEquals(1, documents(rows).size());
        String reason = onlyError(rows);
        assertTrue(reason.contains("byte offset " + member.length) && reason.contains("trailing garbage"), reason);
    }

    @Test
    void aCorruptSecondMemberNamesTheMemberAndItsOffset(@TempDir Path dir) throws IOException {
        byte[] first = gzip(line("1"));
        byte[] second = gzip(line("2").repeat(50));
        for (int i = 12; i < second.length - 8; i++) {
            second[i] = (byte) 0xff; // deflate data destroyed, header intact
        }
        Path f = Files.write(dir.resolve("corrupt.jsonl.gz"), concat(first, second));
        String reason = onlyError(readAuto(f));
        assertTrue(reason.contains("gzip member 2 starting at byte offset " + first.length), reason);
    }

    @Test
    void aCrcMismatchAndATruncatedMemberAreQuarantined(@TempDir Path dir) throws IOException {
        byte[] good = gzip(line("1") + line("2"));
        byte[] badCrc = good.clone();
        badCrc[badCrc.length - 8] ^= 1;
        String crc = onlyError(readAuto(Files.write(dir.resolve("crc.jsonl.gz"), badCrc)));
        assertTrue(crc.contains("CRC-32 mismatch in gzip member 1"), crc);
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 5);
        String truncated = onlyError(readAuto(Files.write(dir.resolve("cut.jsonl.gz"), cut)));
        assertTrue(truncated.contains("truncated"), truncated);
    }

    @Test
    void anOverlongJsonLineIsQuarantinedWithItsSizeAndTheNextLineIsRead(@TempDir Path dir) throws IOException {
        String big = "{\"id\": \"2\", \"text\": \"" + "a".repeat(5_000) + "\"}\n";
        Path f = Files.writeString(dir.resolve("long.jsonl"), line("1") + big + line("3"));
        List<Row> rows = ReaderTestSupport.readAuto(f, SMALL);
        assertEquals(List.of("1", "3"), documents(rows).stream().map(r -> str(r, "id")).toList());
        String reason = onlyError(rows);
        assertTrue(reason.startsWith("line 2: the line holds " + (big.length() - 1) + " characters, over the limit of 1000"),
                reason);
    }

    @Test
    void jsonPastTheParsersNestingLimitSaysWhichLimit(@TempDir Path dir) throws IOException {
        String deep = "{\"id\": \"2\", \"text\": " + "[".repeat(3_000) + "]".repeat(3_000) + "}\n";
        Path f = Files.writeString(dir.resolve("deep.jsonl"), line("1") + deep);
        String reason = onlyError(readAuto(f));
        assertTrue(reason.contains("line 2") && reason.contains("limit of the JSON parser")
                && reason.contains("nesting depth"), reason);
    }

    @Test
    void anOversizedPubMedRecordIsQuarantinedWithItsPmidAndSize(@TempDir Path dir) throws IOException {
        String xml = "<PubmedArticleSet>"
                + article("1", "short abstract")
                + article("2", "b".repeat(5_000))
                + article("3", "another short one")
                + "</PubmedArticleSet>";
        Path f = Files.write(dir.resolve("big.xml.gz"), gzip(xml));
        List<Row> rows = ReaderTestSupport.readAuto(f, SMALL);
        assertEquals(List.of("1", "3"), documents(rows).stream().map(r -> str(r, "id")).toList());
        String reason = onlyError(rows);
        assertTrue(reason.startsWith("record 2 (PMID 2): the record holds at least ") && reason.contains("limit of 1000"),
                reason);
        assertEquals("2", str(errors(rows).get(0), "id"));
    }

    private static String article(String pmid, String abstractText) {
        return "<PubmedArticle><MedlineCitation><PMID Version=\"1\">" + pmid + "</PMID><Article><ArticleTitle>T" + pmid
                + "</ArticleTitle><Abstract><AbstractText>" + abstractText + "</AbstractText></Abstract></Article>"
                + "</MedlineCitation></PubmedArticle>\n";
    }

    @Test
    void oversizedBioCDocumentsAndPubTatorDocumentsAreQuarantinedAndReadingGoesOn(@TempDir Path dir) throws IOException {
        String doc = "{\"id\": \"%s\", \"passages\": [{\"offset\": 0, \"text\": \"T\"}, {\"offset\": 2, \"text\": \"%s\"}]}";
        Path json = Files.writeString(dir.resolve("c.bioc.json"), "{\"documents\": [" + doc.formatted("1", "x") + ", "
                + doc.formatted("2", "y".repeat(600) + "\"}, {\"offset\": 3, \"text\": \"" + "z".repeat(600)) + ", "
                + doc.formatted("3", "w") + "]}");
        List<Row> rows = ReaderTestSupport.readAuto(json, SMALL);
        assertEquals(List.of("1", "3"), documents(rows).stream().map(r -> str(r, "id")).toList());
        assertTrue(onlyError(rows).contains("document 2 (2): the document holds at least"), onlyError(rows));

        String xdoc = "<document><id>%s</id><passage><offset>0</offset><text>%s</text></passage></document>";
        Path xml = Files.writeString(dir.resolve("c.bioc.xml"), "<collection>" + xdoc.formatted("1", "x")
                + xdoc.formatted("2", "y".repeat(5_000)) + xdoc.formatted("3", "w") + "</collection>");
        rows = ReaderTestSupport.readAuto(xml, SMALL);
        assertEquals(List.of("1", "3"), documents(rows).stream().map(r -> str(r, "id")).toList());
        assertTrue(onlyError(rows).contains("document 2 (2)"), onlyError(rows));

        Path pt = Files.writeString(dir.resolve("c.pubtator"), "1|t|T\n1|a|A\n\n2|t|T\n2|a|" + "y".repeat(5_000)
                + "\n\n3|t|T\n3|a|A\n");
        rows = ReaderTestSupport.readAuto(pt, SMALL);
        assertEquals(List.of("1", "3"), documents(rows).stream().map(r -> str(r, "id")).toList());
        assertTrue(onlyError(rows).contains("line 4: the document holds at least"), onlyError(rows));
    }

    @Test
    void md5MatchesTheRealNlmFileAndCatchesAFlippedByte(@TempDir Path dir) throws IOException {
        Path real = corpus("nlm-dir/pubmed26n1334.xml.gz");
        Path copy = Files.copy(real, dir.resolve(real.getFileName().toString()));
        Files.copy(corpus("nlm-dir/pubmed26n1334.xml.gz.md5"), dir.resolve("pubmed26n1334.xml.gz.md5"));
        assertNull(Md5Check.problem(new Configuration(false), copy.toString()));
        byte[] b = Files.readAllBytes(copy);
        b[b.length / 2] ^= 0x01;
        Files.write(copy, b);
        String problem = Md5Check.problem(new Configuration(false), copy.toString());
        assertTrue(problem.contains("does not match 3cf53ba34ff73126e42d1d8391330e73"), problem);
        List<Row> rows = ReaderTestSupport.readAuto(copy, ReadOptions.DEFAULT.withVerifyMd5(true));
        assertEquals(1, rows.size());
        assertTrue(str(rows.get(0), "error").contains("MD5"), str(rows.get(0), "error"));
    }
}
