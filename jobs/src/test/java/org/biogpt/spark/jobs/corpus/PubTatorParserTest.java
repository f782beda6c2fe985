package org.biogpt.spark.jobs.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PubTatorParserTest {

    @Test
    void readsTitleAndAbstractAndSkipsMentionsAndRelations() {
        String text = "227508|t|Naloxone reverses the antihypertensive effect of clonidine.\n"
                + "227508|a|In unanesthetized, spontaneously hypertensive rats the decrease.\n"
                + "227508\t0\t8\tNaloxone\tChemical\tD009270\n"
                + "227508\tCID\tD008750\tD007022\n"
                + "\n"
                + "354896|t|Lidocaine-induced cardiac asystole.\n"
                + "354896|a|Intravenous administration of a single 50 mg bolus.\n";
        List<PubTatorParser.Result> docs = PubTatorParser.parse(text);
        assertEquals(2, docs.size());
        Document d = docs.get(0).document();
        assertEquals("227508", d.id());
        assertEquals("Naloxone reverses the antihypertensive effect of clonidine.", d.title());
        assertEquals("In unanesthetized, spontaneously hypertensive rats the decrease.", d.text());
        assertEquals("354896", docs.get(1).document().id());
    }

    @Test
    void brokenOffsetLineQuarantinesItsDocumentWithTheLineNumber() {
        String text = "1|t|Title one\n1|a|Abstract one\n1\tx\t8\tNaloxone\tChemical\tD009270\n\n"
                + "2|t|Title two\n2|a|Abstract two\n";
        List<PubTatorParser.Result> docs = PubTatorParser.parse(text);
        assertEquals(2, docs.size());
        assertNull(docs.get(0).document());
        assertEquals("1", docs.get(0).rawId());
        assertTrue(docs.get(0).error().contains("line 3"), docs.get(0).error());
        assertNotNull(docs.get(1).document());
    }

    @Test
    void unattributableLineIsReportedNotDropped() {
        List<PubTatorParser.Result> docs = PubTatorParser.parse("garbage without separators\n");
        assertEquals(1, docs.size());
        assertTrue(docs.get(0).error().contains("not PubTator"));
    }
}
