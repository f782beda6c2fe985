package org.biogpt.spark.jobs.corpus;

import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.documents;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.read;
import static org.biogpt.spark.jobs.corpus.ReaderTestSupport.str;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inline MathML in PubMed titles and abstracts reads as the text a reader sees. */
class InlineMarkupTest {
    /** Pretty-printed the way efetch prints MathML (one element per line). */
    private static final String RECORD = """
            <?xml version="1.0"?>
            <PubmedArticleSet>
            <PubmedArticle>
              <MedlineCitation Status="MEDLINE" Owner="NLM">
                <PMID Version="1">31000001</PMID>
                <Article PubModel="Print">
                  <Journal><JournalIssue><PubDate><Year>2019</Year></PubDate></JournalIssue><Title>J</Title></Journal>
                  <ArticleTitle>Peak <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">
                      <mml:mrow>
                        <mml:msub>
                          <mml:mi>V</mml:mi>
                          <mml:mi>E</mml:mi>
                        </mml:msub>
                      </mml:mrow>
                    </mml:math> in runners.</ArticleTitle>
                  <Abstract>
                    <AbstractText>The maximal oxygen uptake (<mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML">
                        <mml:mrow>
                          <mml:mover accent="true">
                            <mml:mi>V</mml:mi>
                            <mml:mo>˙</mml:mo>
                          </mml:mover>
                          <mml:msub>
                            <mml:mi mathvariant="normal">O</mml:mi>
                            <mml:mrow>
                              <mml:mn>2</mml:mn>
                              <mml:mi>max</mml:mi>
                            </mml:mrow>
                          </mml:msub>
                        </mml:mrow>
                        <mml:annotation encoding="application/x-tex">\\dot{V}O_{2max}</mml:annotation>
                      </mml:math>) rose by <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mn>5</mml:mn><mml:mtext> </mml:mtext><mml:mi>%</mml:mi></mml:math> after <i>training</i>.</AbstractText>
                  </Abstract>
                </Article>
              </MedlineCitation>
            </PubmedArticle>
            </PubmedArticleSet>
            """;

    @Test
    void mathMlReadsAsTheTextAReaderSeesWithoutLayoutWhitespaceOrTexAnnotations(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("mathml.xml"), RECORD);
        List<Row> rows = documents(read(f, PubMedXmlReader.factory()));
        assertEquals(1, rows.size());
        assertEquals("Peak VE in runners.", str(rows.get(0), "title"));
        assertEquals("The maximal oxygen uptake (V˙O2max) rose by 5 % after training.", str(rows.get(0), "text"));
    }
}
