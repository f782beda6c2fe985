package org.biogpt.spark.jobs.corpus;

import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.assertErrorContains;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.assertErrorStartsWith;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.documents;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.errors;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PubMedXmlReaderTest {
    /** Hand-written in the layout of an NLM update file (pubmed_240101 DTD), DOCTYPE included. */
    static final String UPDATE_FILE = """
            <?xml version="1.0" encoding="utf-8"?>
            <!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">
            <PubmedArticleSet>
            <PubmedArticle>
              <MedlineCitation Status="MEDLINE" Owner="NLM">
                <PMID Version="1">30000001</PMID>
                <Article PubModel="Print">
                  <Journal>
                    <ISSN IssnType="Electronic">1234-5678</ISSN>
                    <JournalIssue CitedMedium="Internet"><Volume>12</Volume>
                      <PubDate><Year>2019</Year><Month>Mar</Month></PubDate>
                    </JournalIssue>
                    <Title>Journal of Structured Abstracts</Title>
                  </Journal>
                  <ArticleTitle>Effect of <i>Helicobacter pylori</i> on CO<sub>2</sub> output.</ArticleTitle>
                  <Abstract>
                    <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">H. pylori is common.</AbstractText>
                    <AbstractText Label="METHODS" NlmCategory="METHODS">We measured
                       10<sup>-3</sup> M urea in <b>40</b> patients where <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>p</mml:mi><mml:mo>&lt;</mml:mo><mml:mn>0.05</mml:mn></mml:math>.</AbstractText>
                    <AbstractText Label="CONCLUSIONS" NlmCategory="CONCLUSIONS">It works &amp; helps.</AbstractText>
                    <CopyrightInformation>Copyright 2019.</CopyrightInformation>
                  </Abstract>
                </Article>
                <MeshHeadingList>
                  <MeshHeading><DescriptorName UI="D016480" MajorTopicYN="N">Helicobacter pylori</DescriptorName>
                    <QualifierName UI="Q000502">physiology</QualifierName></MeshHeading>
                  <MeshHeading><DescriptorName UI="D006801">Humans</DescriptorName></MeshHeading>
                </MeshHeadingList>
                <CommentsCorrectionsList>
                  <CommentsCorrections RefType="Cites"><RefSource>Other paper</RefSource><PMID Version="1">111</PMID></CommentsCorrections>
                </CommentsCorrectionsList>
              </MedlineCitation>
              <PubmedData><ArticleIdList><ArticleId IdType="pubmed">30000001</ArticleId></ArticleIdList></PubmedData>
            </PubmedArticle>
            <PubmedArticle>
              <MedlineCitation Status="MEDLINE" Owner="NLM">
                <PMID Version="1">30000002</PMID>
                <Article><Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue>
                  <Title>Letters Only</Title></Journal>
                  <ArticleTitle>A letter without an abstract.</ArticleTitle>
                </Article>
              </MedlineCitation>
            </PubmedArticle>
            <PubmedArticle>
              <MedlineCitation><PMID Version="1">30000003</PMID>
                <Article><Journal><JournalIssue><PubDate><Year>2001</Year></PubDate></JournalIssue><Title>J</Title></Journal>
                  <ArticleTitle>First version.</ArticleTitle>
                  <Abstract><AbstractText>Old text.</AbstractText></Abstract></Article>
              </MedlineCitation>
            </PubmedArticle>
            <PubmedArticle>
              <MedlineCitation><PMID Version="2">30000003</PMID>
                <Article><Journal><JournalIssue><PubDate><Year>2001</Year></PubDate></JournalIssue><Title>J</Title></Journal>
                  <ArticleTitle>Second version.</ArticleTitle>
                  <Abstract><AbstractText>New text.</AbstractText></Abstract></Article>
              </MedlineCitation>
            </PubmedArticle>
            <PubmedArticle>
              <MedlineCitation><PMID Version="x">30000004</PMID>
                <Article><ArticleTitle>Bad version.</ArticleTitle><Abstract><AbstractText>Text.</AbstractText></Abstract></Article>
              </MedlineCitation>
            </PubmedArticle>
            <PubmedArticle>
              <MedlineCitation><Article><ArticleTitle>No PMID.</ArticleTitle></Article></MedlineCitation>
            </PubmedArticle>
            <DeleteCitation>
              <PMID Version="1">29999998</PMID>
              <PMID Version="1">29999999</PMID>
            </DeleteCitation>
            </PubmedArticleSet>
            """;

    @Test
    void readsFieldsSectionsMarkupVersionsAndDeletes(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("pubmed24n1300.xml"), UPDATE_FILE);
        List<Row> rows = read(f, PubMedXmlReader.factory());
        assertEquals(8, rows.size(), rows.toString());
        Map<String, List<Row>> docs = documents(rows).stream().collect(Collectors.groupingBy(r -> r.getAs("id")));

        Row a = docs.get("30000001").get(0);
        assertEquals("Effect of Helicobacter pylori on CO2 output.", a.getAs("title"));
        assertEquals("BACKGROUND: H. pylori is common. METHODS: We measured 10-3 M urea in 40 patients where p<0.05."
                + " CONCLUSIONS: It works & helps.", a.getAs("text"));
        assertEquals("Journal of Structured Abstracts", a.getAs("journal"));
        assertEquals(2019, a.<Integer>getAs("year"));
        assertEquals(1, a.<Integer>getAs("version"));
        assertArrayEquals(new String[] {"Helicobacter pylori", "Humans"}, meshOf(a));
        assertFalse(a.<Boolean>getAs("no_abstract"));

        Row letter = docs.get("30000002").get(0);
        assertTrue(letter.<Boolean>getAs("no_abstract"));
        assertEquals("", letter.getAs("text"));
        assertEquals(1998, letter.<Integer>getAs("year"));

        List<Row> versions = docs.get("30000003");
        assertEquals(2, versions.size());
        assertEquals(List.of(1, 2), versions.stream().map(r -> r.<Integer>getAs("version")).sorted().toList());

        List<Row> bad = errors(rows);
        assertEquals(2, bad.size());
        assertErrorContains(bad.get(0), "invalid Version 'x'");
        assertEquals("30000004", bad.get(0).getAs("id"));
        assertErrorContains(bad.get(1), "no PMID");

        List<String> deletes = rows.stream().filter(r -> r.<Boolean>getAs("is_delete")).map(r -> r.<String>getAs("id")).toList();
        assertEquals(List.of("29999998", "29999999"), deletes);
    }

    @Test
    void gzipFileReadsLikeThePlainOne(@TempDir Path dir) throws IOException {
        Path gz = ReaderTestSupport.gzip(dir.resolve("pubmed24n1300.xml.gz"), UPDATE_FILE);
        List<Row> rows = read(gz, PubMedXmlReader.factory());
        assertEquals(8, rows.size());
        assertEquals(4, documents(rows).size());
    }

    @Test
    void truncatedXmlKeepsEarlierRecordsAndQuarantinesTheFile(@TempDir Path dir) throws IOException {
        int cut = UPDATE_FILE.indexOf("<PMID Version=\"1\">30000003");
        Path f = Files.writeString(dir.resolve("pubmed24n0001.xml"), UPDATE_FILE.substring(0, cut));
        List<Row> rows = read(f, PubMedXmlReader.factory());
        assertEquals(3, rows.size(), rows.toString());
        assertEquals(2, documents(rows).size());
        Row err = rows.get(2);
        assertNull(err.getAs("id"));
        assertTrue(err.<String>getAs("source").endsWith("pubmed24n0001.xml"));
        assertErrorStartsWith(err, "file quarantined: malformed or truncated XML after 2 records");
    }

    @Test
    void corruptGzipIsQuarantinedWithTheReason(@TempDir Path dir) throws IOException {
        byte[] good = Files.readAllBytes(ReaderTestSupport.gzip(dir.resolve("x.gz"), UPDATE_FILE));
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        Path cut = Files.write(dir.resolve("pubmed24n0002.xml.gz"), truncated);
        List<Row> rows = read(cut, PubMedXmlReader.factory());
        Row last = rows.get(rows.size() - 1);
        assertErrorContains(last, "corrupt or truncated compressed data");

        Path notGzip = Files.write(dir.resolve("pubmed24n0003.xml.gz"), "plain text, not gzip".getBytes(StandardCharsets.UTF_8));
        List<Row> one = read(notGzip, PubMedXmlReader.factory());
        assertEquals(1, one.size());
        assertErrorContains(one.get(0), "corrupt or truncated compressed data after 0 records");
    }

    @Test
    void neverLoadsTheDtdOrExternalEntities(@TempDir Path dir) throws IOException {
        String evil = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&e;</ArticleTitle>"
                + "<Abstract><AbstractText>t</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>";
        List<Row> rows = read(Files.writeString(dir.resolve("e.xml"), evil), PubMedXmlReader.factory());
        assertTrue(rows.stream().noneMatch(r -> String.valueOf(r.<String>getAs("title")).contains("root:")));
    }

    @Test
    void yearFromMedlineDate() {
        assertEquals(1998, PubMedXmlReader.firstYear("1998 Dec-1999 Jan"));
        assertEquals(2005, PubMedXmlReader.firstYear("Fall 2005"));
        assertNull(PubMedXmlReader.firstYear("Spring"));
    }

    private static String[] meshOf(Row r) {
        Object m = r.getAs("mesh");
        return m instanceof String[] s ? s : ((List<?>) m).toArray(String[]::new);
    }
}
