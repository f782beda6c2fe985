package org.biogpt.spark.jobs.corpus;

import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.documents;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.errors;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.readAuto;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which reader a file gets without --format, and which files of a folder are not read at all. */
class FileFormatChoiceTest {
    private static CorpusFormat sniff(String head) throws IOException {
        return FormatSniffer.sniff(head.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void namesDecideOnlyWhereTheyAreSure() {
        assertEquals(CorpusFormat.PUBMED, CorpusFormat.byName("/ftp/baseline/pubmed25n0001.xml.gz"));
        assertEquals(CorpusFormat.PUBMED, CorpusFormat.byName("medline16n0902.xml.gz"));
        assertEquals(CorpusFormat.BIOC_JSON, CorpusFormat.byName("Test.BioC.JSON"));
        assertEquals(CorpusFormat.BIOC_XML, CorpusFormat.byName("x.bioc.xml"));
        assertEquals(CorpusFormat.PUBTATOR, CorpusFormat.byName("Test.PubTator"));
        assertEquals(CorpusFormat.JSONL, CorpusFormat.byName("a.jsonl.gz"));
        assertNull(CorpusFormat.byName("efetch.xml"));
        assertNull(CorpusFormat.byName("export.json"));
        assertNull(CorpusFormat.byName("CDR_sample.txt"));
        assertNull(CorpusFormat.byName("data"));
    }

    @Test
    void firstBytesTellTheFormatsApart() throws IOException {
        assertEquals(CorpusFormat.PUBMED, sniff("<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"x\" \"y\">\n"
                + "<!-- c -->\n<PubmedArticleSet><PubmedArticle>"));
        assertEquals(CorpusFormat.PUBMED, sniff("<MedlineCitationSet>\n<MedlineCitation Owner=\"NLM\">"));
        assertEquals(CorpusFormat.BIOC_XML, sniff("\uFEFF<?xml version='1.0'?><!DOCTYPE collection SYSTEM 'BioC.dtd'>"
                + "<collection><source>PubTator</source>"));
        assertEquals(CorpusFormat.BIOC_JSON, sniff("{\"PubTator3\": [{\"_id\": \"1|None\""));
        assertEquals(CorpusFormat.BIOC_JSON, sniff("{\n \"source\": \"PubTator\",\n \"date\": \"2021\",\n \"documents\": ["));
        assertEquals(CorpusFormat.BIOC_JSON, sniff("[{\"bioctype\": \"BioCCollection\", \"documents\": []}]"));
        assertEquals(CorpusFormat.JSONL, sniff("{\"id\": \"1\", \"text\": \"a\"}\n{\"id\": \"2\", \"text\": \"b\"}\n"));
        assertEquals(CorpusFormat.PUBTATOR, sniff("26094|t|Antihypertensive drugs and depression: a reappraisal.\n"));
        assertEquals(CorpusFormat.PARQUET, sniff("PAR1\u0015\u0004"));
        assertNull(sniff("<html><body>Index of /pubmed</body></html>"));
        assertNull(sniff("This directory contains the PubMed baseline files.\n"));
    }

    /** The file {@code name} holding {@code content} reads as one quarantined row whose reason says {@code why}. */
    private static void assertOneQuarantinedRow(Path dir, String name, String content, String why) throws IOException {
        List<Row> rows = readAuto(Files.writeString(dir.resolve(name), content));
        assertEquals(1, rows.size());
        assertEquals(1, errors(rows).size());
        assertTrue(str(rows.get(0), "error").contains(why), str(rows.get(0), "error"));
    }

    @Test
    void aFileOfNoKnownFormatIsOneQuarantinedRowSayingSo(@TempDir Path dir) throws IOException {
        assertOneQuarantinedRow(dir, "notes.txt", "Download log, 3 files.\n", "cannot tell the format of this file");
    }

    @Test
    void aFileThatHoldsNoRecordsIsNotSilent(@TempDir Path dir) throws IOException {
        assertOneQuarantinedRow(dir, "empty.jsonl", "\n\n", "holds no records");
    }

    @Test
    void aNonPubMedRootElementIsQuarantinedNotReadAsNothing(@TempDir Path dir) throws IOException {
        assertOneQuarantinedRow(dir, "pubmed25n0001.xml", "<?xml version=\"1.0\"?><html><p>moved</p></html>",
                "root element <html>");
    }

    @Test
    void folderListingSkipsNonDataFilesButReadsThemWhenNamed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("README.txt"), "NLM baseline\n");
        Files.writeString(dir.resolve("pubmed25n0001.xml.gz.md5"), "MD5(pubmed25n0001.xml.gz)= 0\n");
        Files.writeString(dir.resolve("index.html"), "<html/>");
        Files.writeString(dir.resolve(".hidden"), "x");
        Files.writeString(dir.resolve("pubmed25n0001.xml.gz"), "x");
        Files.createDirectories(dir.resolve("_temporary"));
        Files.writeString(dir.resolve("_temporary").resolve("part-0"), "x");
        InputFiles.Listing l = InputFiles.list(new Configuration(false), List.of(dir.toString()));
        assertEquals(1, l.files().size());
        assertTrue(l.files().get(0).endsWith("pubmed25n0001.xml.gz"));
        assertEquals(List.of(".hidden", "README.txt", "index.html", "pubmed25n0001.xml.gz.md5"),
                l.skipped().stream().map(s -> s.substring(s.lastIndexOf('/') + 1)).sorted().toList());
        InputFiles.Listing named = InputFiles.list(new Configuration(false), List.of(dir.resolve("README.txt").toString()));
        assertEquals(1, named.files().size());
        assertThrows(IllegalArgumentException.class, () -> InputFiles.list(new Configuration(false),
                List.of(dir.resolve("*.md5").toString())));
    }

    @Test
    void mixedFolderIsReadFilePerFile(@TempDir Path dir) throws IOException {
        Path pubtator = Files.writeString(dir.resolve("a.txt"), "1|t|Title one\n1|a|Text one\n\n");
        Path jsonl = Files.writeString(dir.resolve("b.json"), "{\"id\": \"2\", \"title\": \"T\", \"text\": \"Text two\"}\n");
        assertEquals("Text one", str(documents(readAuto(pubtator)).get(0), "text"));
        assertEquals("Text two", str(documents(readAuto(jsonl)).get(0), "text"));
    }
}
