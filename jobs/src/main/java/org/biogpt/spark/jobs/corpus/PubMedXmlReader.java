package org.biogpt.spark.jobs.corpus;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.spark.sql.Row;

/**
 * PubMed/MEDLINE XML as NLM distributes it, read with StAX one record at a time: a
 * {@code PubmedArticleSet} of {@code PubmedArticle}, {@code PubmedBookArticle} and, in update files,
 * {@code DeleteCitation} ({@code pubmedYYnNNNN.xml.gz}, efetch output), or the pre-2017
 * {@code MedlineCitationSet} of bare {@code MedlineCitation} and {@code DeleteCitation}
 * ({@code medlineYYnNNNN.xml.gz}). Per article: PMID and its {@code Version}, title, abstract (every
 * {@code AbstractText} section in order, prefixed with its {@code Label}; when there is no
 * {@code Abstract}, the first English {@code OtherAbstract}, and {@code abstract_source} says which),
 * journal title, publication year ({@code PubDate/Year}, else the first year in {@code MedlineDate},
 * else {@code ArticleDate/Year}) and MeSH descriptor names. Inline markup ({@code <i>}, {@code <sup>})
 * is flattened to its text; inline MathML reads as a reader sees it (whitespace-only nodes inside
 * {@code math} dropped, TeX annotations left out). No DTD or external entity is ever loaded, and a
 * record whose text passes {@link ReadOptions#maxRecordChars()} is quarantined with its size without
 * ever being held in memory.
 */
public final class PubMedXmlReader implements RecordStream {
    private static final XMLInputFactory FACTORY = newFactory();

    private final XMLStreamReader xml;
    private final String source;
    private final int fileIndex;
    private final ReadOptions options;
    private final Deque<Row> pending = new ArrayDeque<>();
    private int recordNumber;
    private boolean rootChecked;

    private PubMedXmlReader(InputStream in, String source, int fileIndex, ReadOptions options) throws XMLStreamException {
        this.xml = FACTORY.createXMLStreamReader(in);
        this.source = source;
        this.fileIndex = fileIndex;
        this.options = options;
    }

    public static RecordStream.Factory factory() {
        return factory(ReadOptions.DEFAULT);
    }

    public static RecordStream.Factory factory(ReadOptions options) {
        return (in, source, fileIndex) -> {
            try {
                return new PubMedXmlReader(in, source, fileIndex, options);
            } catch (XMLStreamException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
        };
    }

    /**
     * StAX without DTDs or external entities, and not coalescing: text arrives in buffer-sized pieces,
     * so a huge text node is never assembled by the parser itself.
     */
    static XMLInputFactory newFactory() {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        try {
            f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        } catch (IllegalArgumentException notSupported) {
            // SUPPORT_DTD=false already keeps the DTD unread.
        }
        return f;
    }

    @Override
    public Row next() throws XMLStreamException {
        while (pending.isEmpty()) {
            if (!xml.hasNext()) {
                return null;
            }
            if (xml.next() == XMLStreamConstants.START_ELEMENT) {
                String name = xml.getLocalName();
                if (!rootChecked) {
                    rootChecked = true;
                    if (!name.equals("PubmedArticleSet") && !name.equals("MedlineCitationSet")
                            && !name.equals("PubmedBookArticleSet")) {
                        throw new XMLStreamException("root element <" + name + "> is not PubmedArticleSet,"
                                + " MedlineCitationSet or PubmedBookArticleSet: not PubMed/MEDLINE XML");
                    }
                    continue;
                }
                if (name.equals("PubmedArticle") || name.equals("PubmedBookArticle")) {
                    recordNumber++;
                    pending.add(article(false));
                } else if (name.equals("MedlineCitation")) {
                    recordNumber++;
                    pending.add(article(true));
                } else if (name.equals("DeleteCitation")) {
                    deleteCitation();
                }
            }
        }
        return pending.poll();
    }

    private void deleteCitation() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (xml.getLocalName().equals("PMID")) {
                    RecordBudget.Text t = new RecordBudget(1_000).text();
                    readText(xml, t); // consumes the end tag
                    depth--;
                    String pmid = Records.normalizeSpace(t.chars());
                    pending.add(!Records.isDigits(pmid)
                            ? Records.error(pmid, null, source, fileIndex, "DeleteCitation with an invalid PMID '" + pmid + "'")
                            : Records.delete(pmid, source, fileIndex));
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    /**
     * The text of the current element and everything inside it, up to and including its end tag, counted
     * against (and kept within) the budget of {@code into}.
     */
    static void readText(XMLStreamReader xml, RecordBudget.Text into) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (isText(ev)) {
                into.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
            }
        }
    }

    private static boolean isText(int ev) {
        return ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA || ev == XMLStreamConstants.SPACE;
    }

    /**
     * Reads one article; the reader is on its start tag and ends on its end tag. {@code bare}: the record
     * element is a top-level {@code MedlineCitation} (MedlineCitationSet) rather than a PubmedArticle.
     */
    private Row article(boolean bare) throws XMLStreamException {
        List<String> path = new ArrayList<>();
        int base = 0;
        if (bare) {
            path.add("MedlineCitation");
            base = 1;
        }
        RecordBudget budget = new RecordBudget(options.maxRecordChars());
        String pmid = null;
        String versionAttr = null;
        String articleTitle = null;
        String bookTitle = null;
        String journal = null;
        String pubYear = null;
        String medlineDate = null;
        String articleDateYear = null;
        List<String> sections = new ArrayList<>();
        List<String> otherSections = new ArrayList<>();
        int otherAbstracts = 0;
        int chosenOther = -1;
        List<String> mesh = new ArrayList<>();
        RecordBudget.Text capture = null;
        int captureDepth = -1;
        String captureWhat = null;
        String label = null;
        int mathDepth = 0;
        int hiddenDepth = 0; // inside a MathML annotation: markup for machines, not text a reader sees
        String element = null;
        while (true) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                element = xml.getLocalName();
                path.add(element);
                if (element.equals("math")) {
                    mathDepth++;
                } else if (mathDepth > 0 && (element.equals("annotation") || element.equals("annotation-xml"))) {
                    hiddenDepth++;
                }
                if (capture == null) {
                    String p = String.join("/", path);
                    if (p.equals("MedlineCitation/OtherAbstract")) {
                        otherAbstracts++;
                        String lang = xml.getAttributeValue(null, "Language");
                        // The DTD's default language is English.
                        if (chosenOther < 0 && (lang == null || lang.strip().toLowerCase(Locale.ROOT).equals("eng"))) {
                            chosenOther = otherAbstracts;
                        }
                    }
                    String what = classify(p);
                    if (what != null && what.equals("other-abstract") && otherAbstracts != chosenOther) {
                        what = null;
                    }
                    if (what != null) {
                        capture = budget.text();
                        captureDepth = path.size();
                        captureWhat = what;
                        if (what.equals("pmid")) {
                            versionAttr = xml.getAttributeValue(null, "Version");
                        } else if (what.equals("abstract") || what.equals("other-abstract")) {
                            label = xml.getAttributeValue(null, "Label");
                        }
                    }
                }
            } else if (isText(ev)) {
                if (capture != null && hiddenDepth == 0
                        && !(mathDepth > 0 && !"mtext".equals(element) && isWhitespace(xml))) {
                    capture.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                }
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                if (path.size() == base) {
                    break; // the record's own end tag
                }
                String closing = xml.getLocalName();
                if (closing.equals("math") && mathDepth > 0) {
                    mathDepth--;
                } else if (hiddenDepth > 0 && (closing.equals("annotation") || closing.equals("annotation-xml"))) {
                    hiddenDepth--;
                }
                if (capture != null && path.size() == captureDepth) {
                    String text = Records.normalizeSpace(capture.chars());
                    switch (captureWhat) {
                        case "pmid":
                            if (pmid == null) {
                                pmid = text;
                            }
                            break;
                        case "title":
                            articleTitle = text;
                            break;
                        case "book-title":
                            bookTitle = text;
                            break;
                        case "abstract":
                        case "other-abstract":
                            if (!text.isEmpty()) {
                                (captureWhat.equals("abstract") ? sections : otherSections)
                                        .add(label == null || label.isBlank() ? text : label.strip() + ": " + text);
                            }
                            break;
                        case "journal":
                            journal = text;
                            break;
                        case "year":
                            pubYear = text;
                            break;
                        case "medline-date":
                            medlineDate = text;
                            break;
                        case "article-date-year":
                            if (articleDateYear == null) {
                                articleDateYear = text;
                            }
                            break;
                        case "mesh":
                            mesh.add(text);
                            break;
                        default:
                            break;
                    }
                    capture = null;
                    captureWhat = null;
                    label = null;
                }
                path.remove(path.size() - 1);
                element = path.isEmpty() ? null : path.get(path.size() - 1);
            }
        }
        String where = "record " + recordNumber;
        if (budget.exceeded()) {
            return Records.error(pmid, null, source, fileIndex,
                    where + (pmid == null ? "" : " (PMID " + pmid + ")") + ": " + options.tooLarge("the record", budget.seen(), false));
        }
        if (pmid == null || pmid.isEmpty()) {
            return Records.error(null, articleTitle, source, fileIndex, where + ": no PMID");
        }
        if (!Records.isDigits(pmid)) {
            return Records.error(pmid, articleTitle, source, fileIndex, where + ": PMID '" + pmid + "' is not a number");
        }
        Integer version = 1;
        if (versionAttr != null) {
            try {
                version = Integer.valueOf(versionAttr.strip());
            } catch (NumberFormatException e) {
                return Records.error(pmid, articleTitle, source, fileIndex,
                        where + ": PMID " + pmid + " has an invalid Version '" + versionAttr + "'");
            }
        }
        Integer year = firstYear(pubYear);
        if (year == null) {
            year = firstYear(medlineDate);
        }
        if (year == null) {
            year = firstYear(articleDateYear);
        }
        String title = articleTitle != null && !articleTitle.isEmpty() ? articleTitle : bookTitle;
        boolean other = sections.isEmpty() && !otherSections.isEmpty();
        return Records.document(pmid, version, title, String.join(" ", other ? otherSections : sections), journal, year,
                mesh.toArray(String[]::new), source, fileIndex, other ? "OtherAbstract" : "Abstract");
    }

    private static boolean isWhitespace(XMLStreamReader xml) {
        char[] c = xml.getTextCharacters();
        int end = xml.getTextStart() + xml.getTextLength();
        for (int i = xml.getTextStart(); i < end; i++) {
            if (!Character.isWhitespace(c[i])) {
                return false;
            }
        }
        return true;
    }

    /** What a path (relative to the record element) holds, or null when it is not read. */
    private static String classify(String p) {
        switch (p) {
            case "MedlineCitation/PMID":
            case "BookDocument/PMID":
                return "pmid";
            case "MedlineCitation/Article/ArticleTitle":
            case "BookDocument/ArticleTitle":
                return "title";
            case "BookDocument/Book/BookTitle":
                return "book-title";
            case "MedlineCitation/Article/Abstract/AbstractText":
            case "BookDocument/Abstract/AbstractText":
                return "abstract";
            case "MedlineCitation/OtherAbstract/AbstractText":
                return "other-abstract";
            case "MedlineCitation/Article/Journal/Title":
                return "journal";
            case "MedlineCitation/Article/Journal/JournalIssue/PubDate/Year":
            case "BookDocument/Book/PubDate/Year":
                return "year";
            case "MedlineCitation/Article/Journal/JournalIssue/PubDate/MedlineDate":
            case "BookDocument/Book/PubDate/MedlineDate":
                return "medline-date";
            case "MedlineCitation/Article/ArticleDate/Year":
                return "article-date-year";
            case "MedlineCitation/MeshHeadingList/MeshHeading/DescriptorName":
                return "mesh";
            default:
                return null;
        }
    }

    private static final java.util.regex.Pattern FOUR_DIGITS = java.util.regex.Pattern.compile("(?<!\\d)(\\d{4})(?!\\d)");

    /** The first run of four digits in a date string (e.g. "1998 Dec-1999 Jan" → 1998), or null. */
    static Integer firstYear(String s) {
        if (s == null) {
            return null;
        }
        java.util.regex.Matcher m = FOUR_DIGITS.matcher(s);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
}
