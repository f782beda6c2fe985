package org.biogpt.spark.jobs.corpus;

import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.corpus;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.documents;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.errors;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.readAuto;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Real files as NLM, NCBI, BioCreative and BioRED publish them (cut to whole records; sources, commits
 * and licences in src/test/resources/corpora/README.md), each read the way enrich reads a folder without
 * --format: the reader is chosen from the name or the first bytes. Every expected value was read off the
 * raw file by hand.
 */
class RealCorporaTest {
    private static Map<String, Row> byId(List<Row> rows) {
        return documents(rows).stream().collect(Collectors.toMap(r -> str(r, "id"), Function.identity()));
    }

    private static long deletes(List<Row> rows) {
        return rows.stream().filter(r -> r.<Boolean>getAs("is_delete")).count();
    }

    private static long noAbstract(List<Row> rows) {
        return documents(rows).stream().filter(r -> r.<Boolean>getAs("no_abstract")).count();
    }

    @Test
    void nlmBaseline2026FileReadsEveryArticleWithStructuredAbstractsAndYears() {
        List<Row> rows = readAuto(corpus("nlm-dir/pubmed26n1334.xml.gz"));
        assertEquals(List.of(), errors(rows));
        assertEquals(30, documents(rows).size());
        assertEquals(0, deletes(rows));
        assertEquals(3, noAbstract(rows)); // no Abstract and no English OtherAbstract
        Row first = byId(rows).get("41576520");
        assertEquals("The Relationship of Serum Uric Acid With Neurocognitive Functions in Children and Adolescents With"
                + " Mild to Moderate Chronic Kidney Disease.", str(first, "title"));
        assertTrue(str(first, "text").startsWith("BACKGROUND: Pediatric chronic kidney disease (CKD) is known to affect"
                + " the neurocognitive fun"), str(first, "text"));
        assertTrue(str(first, "text").contains(" METHODS: ") && str(first, "text").contains(" CONCLUSIONS: "));
        assertEquals("Abstract", str(first, "abstract_source"));
        Row last = byId(rows).get("41605226");
        assertEquals(2026, (int) last.<Integer>getAs("year"));
    }

    @Test
    void nlmUpdate2026FileUsesTheEnglishPlainLanguageSummaryWhenThereIsNoAbstract() {
        List<Row> rows = readAuto(corpus("nlm-dir/pubmed26n1335.xml.gz"));
        assertEquals(List.of(), errors(rows));
        assertEquals(30, documents(rows).size());
        assertEquals(6, deletes(rows)); // one DeleteCitation with six PMIDs
        assertEquals(0, noAbstract(rows));
        Row summary = byId(rows).get("41411010");
        assertEquals("Abortion Access in Los Angeles Managed Medicaid Networks.", str(summary, "title"));
        assertEquals("This secret shopper study assesses current capacity to provide abortion care within California’s"
                + " managed Medicaid networks in Los Angeles County after passage of federal legislation temporarily"
                + " banning Medicaid payments to large family planning organizations.", str(summary, "text"));
        assertEquals("OtherAbstract", str(summary, "abstract_source"));
        assertEquals(2026, (int) summary.<Integer>getAs("year"));
        Row first = byId(rows).get("26228458");
        assertEquals("Obesity risk in rural, urban and rural-to-urban migrants: prospective results of the PERU MIGRANT"
                + " study.", str(first, "title"));
        assertEquals(2016, (int) first.<Integer>getAs("year"));
        assertEquals("Abstract", str(first, "abstract_source"));
    }

    @Test
    void nlmUpdate2024FileReadsAidsAndNasaOtherAbstracts() {
        List<Row> rows = readAuto(corpus("pubmed/pubmed24n1220.xml.gz"));
        assertEquals(List.of(), errors(rows));
        assertEquals(30, documents(rows).size());
        assertEquals(6, noAbstract(rows));
        Row aids = byId(rows).get("11363372");
        assertTrue(str(aids, "text").startsWith("Advocates for revamping the Food and Drug Administration (FDA) began"
                + " a major public relations campaign"), str(aids, "text"));
        assertEquals("OtherAbstract", str(aids, "abstract_source"));
        assertEquals(1996, (int) aids.<Integer>getAs("year"));
        Row nasa = byId(rows).get("11539009");
        assertTrue(str(nasa, "text").startsWith("The food production group of the NASA Closed Ecology Life Support"
                + " Systems (CELSS) program is conducting research to optimize production of candidate species from"
                + " each of the major categories of food crop. Studies are underway"), str(nasa, "text"));
        assertEquals(1984, (int) nasa.<Integer>getAs("year"));
        assertEquals("Molecular characterization of a novel UT-A urea transporter isoform (UT-A5) in testis.",
                str(byId(rows).get("11029290"), "title"));
    }

    @Test
    void medline2016CitationSetIsReadWithItsDeleteCitation() {
        List<Row> rows = readAuto(corpus("pubmed/medline16n0902.first20.xml.gz"));
        assertEquals(List.of(), errors(rows));
        assertEquals(20, documents(rows).size());
        assertEquals(List.of("26432306"), rows.stream().filter(r -> r.<Boolean>getAs("is_delete"))
                .map(r -> str(r, "id")).toList());
        Row first = byId(rows).get("17942999");
        assertEquals("Neuroplasticity in the processing of pitch dimensions: a multidimensional scaling analysis of the"
                + " mismatch negativity.", str(first, "title"));
        assertTrue(str(first, "text").startsWith("PURPOSE: An auditory electrophysiological study was conducted to"
                + " explore the influence of language experience"), str(first, "text"));
        assertEquals(2007, (int) first.<Integer>getAs("year"));
        assertEquals("Restorative neurology and neuroscience", str(first, "journal"));
        assertEquals("Predicting gene ontology annotations of orphan GWAS genes using protein-protein interactions.",
                str(byId(rows).get("24708602"), "title"));
    }

    @Test
    void pubmedParserSampleFileWithFourArticlesOneWithoutAbstract() {
        List<Row> rows = readAuto(corpus("pubmed/test_current_medline.xml.gz"));
        assertEquals(List.of(), errors(rows));
        assertEquals(4, documents(rows).size());
        assertEquals(1, noAbstract(rows));
        Row first = byId(rows).get("36400559");
        assertEquals("Back Pain: Differential Diagnosis and Management.", str(first, "title"));
        assertTrue(str(first, "text").startsWith("Back pain is a common condition affecting millions of individuals"
                + " each year."), str(first, "text"));
        assertEquals(2023, (int) first.<Integer>getAs("year"));
        assertTrue(byId(rows).containsKey("28786991"));
    }

    @Test
    void bioredPubTatorWithFiveColumnRelationLinesIsNotQuarantined() {
        List<Row> rows = readAuto(corpus("pubtator/BioRED_Test.first8.PubTator"));
        assertEquals(List.of(), errors(rows));
        assertEquals(8, documents(rows).size());
        Row first = byId(rows).get("15485686");
        assertEquals("A novel SCN5A mutation manifests as a malignant form of long QT syndrome with perinatal onset of"
                + " tachycardia/bradycardia.", str(first, "title"));
        assertTrue(str(first, "text").startsWith("OBJECTIVE: Congenital long QT syndrome (LQTS) with in utero onset of"
                + " the rhythm disturbances is associated with a poor prognosis."), str(first, "text"));
        Row last = byId(rows).get("21976953");
        assertEquals("Identification of a novel FBN1 gene mutation in a Chinese family with Marfan syndrome.",
                str(last, "title"));
        assertTrue(str(last, "text").endsWith("and contributes to the study of the molecular pathogenesis of Marfan"
                + " syndrome."), str(last, "text"));
    }

    @Test
    void bioCreativeCdrPubTatorWithFourColumnRelationsAndCompositeMentions() {
        List<Row> rows = readAuto(corpus("pubtator/CDR_sample.first10.txt"));
        assertEquals(List.of(), errors(rows));
        assertEquals(10, documents(rows).size());
        assertEquals("Antihypertensive drugs and depression: a reappraisal.", str(byId(rows).get("26094"), "title"));
        assertTrue(str(byId(rows).get("26094"), "text").startsWith("Eighty-nine new referral hypertensive out-patients"));
        assertEquals("Haemolytic-uraemic syndrome after treatment with metronidazole.",
                str(byId(rows).get("3173180"), "title"));
    }

    @Test
    void tmVar3PubTatorMentionsAreRead() {
        List<Row> rows = readAuto(corpus("pubtator/tmVar3_Test.first8.PubTator"));
        assertEquals(List.of(), errors(rows));
        assertEquals(8, documents(rows).size());
        Row first = byId(rows).get("22051099");
        assertEquals("Variation in the CXCR1 gene (IL8RA) is not associated with susceptibility to chronic"
                + " periodontitis.", str(first, "title"));
        assertTrue(str(first, "text").startsWith("BACKGROUND: The chemokine receptor 1 CXCR-1 (or IL8R-alpha) is a"
                + " specific receptor for the interleukin 8 (IL-8)"), str(first, "text"));
        assertEquals("The fibrinogen gamma 10034C>T polymorphism is not associated with Peripheral Arterial Disease.",
                str(byId(rows).get("20709368"), "title"));
    }

    @Test
    void bioredBioCJsonWithoutTypeInfonsTakesTheFirstPassageAsTitle() {
        List<Row> rows = readAuto(corpus("bioc-json/BioRED_Test.first5.BioC.json"));
        assertEquals(List.of(), errors(rows));
        assertEquals(List.of("15485686", "16046395", "18457324", "1848636", "19394258"),
                documents(rows).stream().map(r -> str(r, "id")).toList());
        Row first = byId(rows).get("15485686");
        assertEquals("A novel SCN5A mutation manifests as a malignant form of long QT syndrome with perinatal onset of"
                + " tachycardia/bradycardia.", str(first, "title"));
        assertTrue(str(first, "text").startsWith("OBJECTIVE: Congenital long QT syndrome (LQTS)"), str(first, "text"));
        assertTrue(str(first, "text").endsWith("arrhythmias that responded to lidocaine and mexiletine."));
        assertTrue(str(byId(rows).get("1848636"), "text").endsWith("P less than .001).(ABSTRACT TRUNCATED AT 250 WORDS)"));
        assertTrue(str(byId(rows).get("19394258"), "title").startsWith("The first founder DGUOK mutation associated with"));
    }

    @Test
    void bioredBioCXmlMatchesItsJsonTwin() {
        List<Row> xml = readAuto(corpus("bioc-xml/BioRED_Test.first5.BioC.xml"));
        List<Row> json = readAuto(corpus("bioc-json/BioRED_Test.first5.BioC.json"));
        assertEquals(List.of(), errors(xml));
        assertEquals(5, documents(xml).size());
        for (Row r : documents(xml)) {
            Row twin = byId(json).get(str(r, "id"));
            assertEquals(str(twin, "title"), str(r, "title"));
            assertEquals(str(twin, "text"), str(r, "text"));
        }
    }

    @Test
    void bioCreativeCdrBioCXmlWithTypedPassages() {
        List<Row> rows = readAuto(corpus("bioc-xml/CDR_sample.gold.first6.BioC.xml"));
        assertEquals(List.of(), errors(rows));
        assertEquals(List.of("26094", "354896", "1720453", "2224762", "2348231", "2385256"),
                documents(rows).stream().map(r -> str(r, "id")).toList());
        assertEquals("Antihypertensive drugs and depression: a reappraisal.", str(byId(rows).get("26094"), "title"));
        Row last = byId(rows).get("2385256");
        assertEquals("Myasthenia gravis presenting as weakness after magnesium administration.", str(last, "title"));
        assertTrue(str(last, "text").endsWith("be suspected of having an underlying disorder of neuromuscular"
                + " transmission."), str(last, "text"));
    }

    @Test
    void pubTatorBioCJsonDocumentsSavedOnePerFileAreRead() {
        List<Row> rows = readAuto(corpus("bioc-json/pubtator-10.1016_j.molcel.2024.01.007.json"));
        assertEquals(List.of(), errors(rows));
        assertEquals(1, documents(rows).size());
        Row d = documents(rows).get(0);
        assertEquals("10.1016/j.molcel.2024.01.007", str(d, "id"));
        assertEquals("IkappaBzeta is a dual-use coactivator of NF-kappaB and POU transcription factors.", str(d, "title"));
        assertTrue(str(d, "text").startsWith("OCA-B, OCA-T1, and OCA-T2 belong to a family of coactivators that bind to"
                + " POU transcription factors (TFs)"), str(d, "text"));
        assertTrue(str(d, "text").endsWith("of NF-kappaB and POU TFs at inducible genes in immune cells."));
        assertEquals(2024, (int) d.<Integer>getAs("year"));

        Row older = documents(readAuto(corpus("bioc-json/pubtator-10.1016_j.molcel.2016.11.034.json"))).get(0);
        assertEquals("10.1016/j.molcel.2016.11.034", str(older, "id"));
        assertTrue(str(older, "title").startsWith("A Constitutive Intrinsic Inflammatory Signaling Circuit Composed of"));
        assertTrue(str(older, "text").startsWith("Androgen deprivation therapy is the most effective treatment for advan"));
        assertTrue(str(older, "text").endsWith("while avoiding indiscriminate IKK/NF-kappaB inhibition in normal cells."));
        assertEquals(2017, (int) older.<Integer>getAs("year"));
    }

    @Test
    void pubTator3ExportWrapperAndPmcCollectionArraysAreUnwrapped(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        // The layouts of PubTator3's biocjson export and of the BioC-PMC API's answer, around one real document.
        String doc = java.nio.file.Files.readString(corpus("bioc-json/pubtator-10.1016_j.molcel.2024.01.007.json"));
        java.nio.file.Path export = java.nio.file.Files.writeString(dir.resolve("export.json"),
                "{\"PubTator3\": [" + doc + ", " + doc.replace("\"10.1016/j.molcel.2024.01.007\"", "\"38309274\"") + "]}");
        assertEquals(List.of("10.1016/j.molcel.2024.01.007", "38309274"),
                documents(readAuto(export)).stream().map(r -> str(r, "id")).toList());
        java.nio.file.Path pmc = java.nio.file.Files.writeString(dir.resolve("pmc.json"),
                "[{\"bioctype\": \"BioCCollection\", \"source\": \"PMC\", \"documents\": [" + doc
                        + "], \"date\": \"20250101\"}, {\"source\": \"PMC\", \"documents\": [" + doc + "]}]");
        List<Row> rows = readAuto(pmc);
        assertEquals(List.of(), errors(rows));
        assertEquals(2, documents(rows).size());
    }
}
