package org.biogpt.spark.jobs.corpus;

import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.assertErrorContains;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.assertErrorStartsWith;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.documents;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.errors;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BioC XML/JSON and PubTator on the BC5CDR samples in sample-data/ and on hand-written broken input. */
class BioCAndPubTatorReaderTest {
    private static final Path CORPUS = Path.of(System.getProperty("maven.multiModuleProjectDirectory",
            System.getProperty("user.dir") + "/.."), "sample-data", "corpus");

    /** The 20 documents of the PubTator sample, read independently of the code under test. */
    private static Map<String, String[]> pubtatorSample() throws IOException {
        Map<String, String[]> docs = new LinkedHashMap<>();
        for (String line : Files.readAllLines(CORPUS.resolve("bc5cdr-test-20.pubtator"), StandardCharsets.UTF_8)) {
            String[] p = line.split("\\|", 3);
            if (p.length == 3 && (p[1].equals("t") || p[1].equals("a"))) {
                docs.computeIfAbsent(p[0], k -> new String[2])[p[1].equals("t") ? 0 : 1] = p[2];
            }
        }
        return docs;
    }

    private static void assertSameDocuments(Map<String, String[]> want, List<Row> rows) {
        List<Row> docs = documents(rows);
        assertEquals(want.size(), docs.size());
        assertEquals(new ArrayList<>(want.keySet()), docs.stream().map(r -> r.<String>getAs("id")).toList());
        for (Row r : docs) {
            String[] w = want.get(r.<String>getAs("id"));
            assertEquals(Records.normalizeSpace(w[0]), r.getAs("title"));
            assertEquals(Records.normalizeSpace(w[1]), r.getAs("text"));
        }
    }

    @Test
    void pubTatorSampleStreamsDocumentByDocument() throws IOException {
        List<Row> rows = read(CORPUS.resolve("bc5cdr-test-20.pubtator"), PubTatorReader.factory());
        assertEquals(20, rows.size());
        List<Row> docs = documents(rows);
        Map<String, String[]> want = pubtatorSample();
        assertEquals(new ArrayList<>(want.keySet()), docs.stream().map(r -> r.<String>getAs("id")).toList());
        for (Row r : docs) {
            assertEquals(want.get(r.<String>getAs("id"))[0], r.getAs("title"));
            assertEquals(want.get(r.<String>getAs("id"))[1], r.getAs("text"));
        }
    }

    @Test
    void brokenPubTatorLinesQuarantineTheirDocumentWithTheLineNumber(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("x.pubtator"), "1|t|One.\n1|a|Text one.\n1\t0\t3\tOne\tChemical\tD1\n\n"
                + "2|t|Two.\n2|a|Text two.\n2\tnot-a-number\tx\n\n"
                + "this line is not pubtator\n"
                + "3|t|Three, no abstract.\n");
        List<Row> rows = read(f, PubTatorReader.factory());
        assertEquals(4, rows.size(), rows.toString());
        List<Row> bad = errors(rows);
        assertEquals(2, bad.size());
        assertEquals("2", bad.get(0).getAs("id"));
        assertErrorStartsWith(bad.get(0), "line 7: malformed annotation line");
        assertErrorContains(bad.get(1), "line 9: not PubTator");
        Row three = rows.get(3);
        assertEquals("3", three.getAs("id"));
        assertTrue(three.<Boolean>getAs("no_abstract"));
    }

    @Test
    void bioCXmlSampleHasThePubTatorDocuments() throws IOException {
        List<Row> rows = read(CORPUS.resolve("bc5cdr-test-20.bioc.xml"), BioCReader.xmlFactory());
        assertEquals(20, rows.size());
        assertSameDocuments(pubtatorSample(), rows);
    }

    @Test
    void bioCJsonSampleHasThePubTatorDocuments() throws IOException {
        List<Row> rows = read(CORPUS.resolve("bc5cdr-test-20.bioc.json"), BioCReader.jsonFactory());
        assertEquals(20, rows.size());
        assertSameDocuments(pubtatorSample(), rows);
    }

    @Test
    void bioCXmlInvalidDocumentsAndTruncation(@TempDir Path dir) throws IOException {
        String xml = "<?xml version=\"1.0\"?><collection><source>t</source>"
                + "<document><id>1</id><infon key=\"year\">2015</infon>"
                + "<passage><infon key=\"type\">title</infon><offset>0</offset><text>Title one</text></passage>"
                + "<passage><infon key=\"type\">abstract</infon><offset>10</offset><text>First part.</text>"
                + "<annotation id=\"a\"><infon key=\"type\">Chemical</infon><location offset=\"10\" length=\"5\"/><text>First</text></annotation></passage>"
                + "<passage><infon key=\"type\">abstract</infon><offset>22</offset><text>Second part.</text></passage></document>"
                + "<document><id>2</id><passage><infon key=\"type\">title</infon><offset>0</offset><text>T</text>"
                + "<annotation id=\"b\"><location offset=\"x\" length=\"1\"/></annotation></passage></document>"
                + "<document><passage><offset>0</offset><text>no id</text></passage></document>"
                + "<document><id>4</id><passage><infon key=\"type\">title</infon><offset>0</offset><text>Only a title</text></passage></document>"
                + "<document><id>5</id><passage><infon key=\"type\">title</infon><offset>0</offset><text>Cut he";
        List<Row> rows = read(Files.writeString(dir.resolve("c.bioc.xml"), xml), BioCReader.xmlFactory());
        assertEquals(5, rows.size(), rows.toString());
        Row one = rows.get(0);
        assertEquals("Title one", one.getAs("title"));
        assertEquals("First part. Second part.", one.getAs("text"));
        assertEquals(2015, one.<Integer>getAs("year"));
        assertErrorContains(rows.get(1), "annotation location offset='x'");
        assertErrorContains(rows.get(2), "no id");
        assertTrue(rows.get(3).<Boolean>getAs("no_abstract"));
        assertErrorStartsWith(rows.get(4), "file quarantined: malformed or truncated XML after 4 records");
    }

    @Test
    void bioCJsonTruncatedFileIsQuarantinedAfterItsGoodDocuments(@TempDir Path dir) throws IOException {
        String json = "{\"source\":\"x\",\"documents\":[{\"id\":\"1\",\"passages\":[{\"infons\":{\"type\":\"title\"},\"offset\":0,"
                + "\"text\":\"T\"},{\"infons\":{\"type\":\"abstract\"},\"offset\":2,\"text\":\"A b.\"}]},"
                + "{\"id\":\"2\",\"passages\":[{\"infons\":{\"type\":\"title\"},\"offset\":\"zero\",\"text\":\"T\"}]},"
                + "{\"id\":\"3\",\"passages\":[{\"infons\":{\"ty";
        List<Row> rows = read(Files.writeString(dir.resolve("c.bioc.json"), json), BioCReader.jsonFactory());
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("A b.", rows.get(0).getAs("text"));
        assertErrorContains(rows.get(1), "passage offset 'zero'");
        assertErrorStartsWith(rows.get(2), "file quarantined: malformed or truncated JSON after 2 records");
    }
}
