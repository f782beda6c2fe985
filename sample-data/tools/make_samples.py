#!/usr/bin/env python3
"""Regenerates the converted samples in sample-data/corpus/ from the BC5CDR test set.

    python3 sample-data/tools/make_samples.py [PATH/TO/BC5CDR/raw/test.json]

Inputs: the BioCreative V CDR test set as redistributed by microsoft/BioGPT (data/BC5CDR/raw/test.json,
default ../shared/data/biogpt-tasks/BC5CDR/raw/test.json) and sample-data/corpus/bc5cdr-test-20.pubtator.
Outputs (deterministic: same bytes on every run):
  corpus/pubmed-bc5cdr-sample.xml.gz  first 300 documents in PubMed/MEDLINE XML layout (PMID, title, abstract
                                      only: the source has no journal, date or MeSH, so none are invented)
  corpus/bc5cdr-test-20.bioc.xml      the 20 PubTator documents as a BioC XML collection
  corpus/bc5cdr-test-20.bioc.json     the same as BioC JSON
BioC annotations are every case-insensitive whole-word occurrence of the document's gold chemical/disease names
(test.json chemical2id / disease2id, MeSH ids) found by string search, not the original CDR offsets;
relations are the document's gold chemical-induced-disease pairs.
"""
import ast
import gzip
import io
import json
import os
import re
import sys
from xml.sax.saxutils import escape, quoteattr

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")
DEFAULT_SOURCE = os.path.join(HERE, "..", "..", "..", "shared", "data", "biogpt-tasks", "BC5CDR", "raw", "test.json")
PUBMED_COUNT = 300


def pubmed_xml(docs):
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="utf-8"?>\n')
    out.write('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2024//EN" '
              '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_240101.dtd">\n')
    out.write("<PubmedArticleSet>\n")
    for pmid, d in docs:
        out.write('<PubmedArticle>\n  <MedlineCitation Status="MEDLINE" Owner="NLM">\n')
        out.write('    <PMID Version="1">%s</PMID>\n' % escape(pmid))
        out.write('    <Article PubModel="Print">\n')
        out.write("      <ArticleTitle>%s</ArticleTitle>\n" % escape(d["title"]))
        if d["abstract"].strip():
            out.write("      <Abstract>\n        <AbstractText>%s</AbstractText>\n      </Abstract>\n" % escape(d["abstract"]))
        out.write("    </Article>\n  </MedlineCitation>\n")
        out.write('  <PubmedData>\n    <ArticleIdList>\n      <ArticleId IdType="pubmed">%s</ArticleId>\n'
                  "    </ArticleIdList>\n  </PubmedData>\n</PubmedArticle>\n" % escape(pmid))
    out.write("</PubmedArticleSet>\n")
    return out.getvalue()


def read_pubtator(path):
    docs = []
    for block in open(path, encoding="utf-8").read().split("\n\n"):
        title = abstract = pmid = None
        for line in block.splitlines():
            if "|t|" in line:
                pmid, _, title = line.split("|", 2)
            elif "|a|" in line:
                abstract = line.split("|", 2)[2]
        if pmid:
            docs.append((pmid, title or "", abstract or ""))
    return docs


def literal(v):
    return ast.literal_eval(v) if isinstance(v, str) else v


def annotations(text, offset, names, kind, counter):
    found = []
    for name, mesh in sorted(names.items()):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, flags=re.IGNORECASE):
            counter[0] += 1
            found.append({"id": str(counter[0]), "infons": {"type": kind, "MESH": mesh},
                          "text": text[m.start():m.end()],
                          "locations": [{"offset": offset + m.start(), "length": m.end() - m.start()}]})
    return sorted(found, key=lambda a: (a["locations"][0]["offset"], a["id"]))


def bioc_documents(pubtator_docs, gold):
    out = []
    for pmid, title, abstract in pubtator_docs:
        g = gold.get(pmid, {})
        chem = literal(g.get("chemical2id", {}))
        dis = literal(g.get("disease2id", {}))
        counter = [0]
        passages = []
        for kind, text, offset in (("title", title, 0), ("abstract", abstract, len(title) + 1)):
            anns = annotations(text, offset, chem, "Chemical", counter) + annotations(text, offset, dis, "Disease", counter)
            anns.sort(key=lambda a: a["locations"][0]["offset"])
            passages.append({"infons": {"type": kind}, "offset": offset, "text": text, "sentences": [],
                             "annotations": anns, "relations": []})
        relations = []
        for i, r in enumerate(literal(g.get("relations", []))):
            relations.append({"id": "R%d" % i, "infons": {"relation": "CID", "Chemical": r["chemical"],
                                                        "Disease": r["disease"]}, "nodes": []})
        out.append({"id": pmid, "infons": {}, "passages": passages, "relations": relations})
    return out


def bioc_xml(docs):
    o = io.StringIO()
    o.write('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE collection SYSTEM "BioC.dtd">\n<collection>\n')
    o.write("  <source>BC5CDR test (BioCreative V CDR), converted</source>\n  <date>2015</date>\n  <key>BioC.key</key>\n")
    for d in docs:
        o.write("  <document>\n    <id>%s</id>\n" % escape(d["id"]))
        for p in d["passages"]:
            o.write('    <passage>\n      <infon key="type">%s</infon>\n      <offset>%d</offset>\n' % (escape(p["infons"]["type"]), p["offset"]))
            o.write("      <text>%s</text>\n" % escape(p["text"]))
            for a in p["annotations"]:
                loc = a["locations"][0]
                o.write('      <annotation id=%s>\n        <infon key="type">%s</infon>\n        <infon key="MESH">%s</infon>\n'
                        % (quoteattr(a["id"]), escape(a["infons"]["type"]), escape(a["infons"]["MESH"])))
                o.write('        <location offset="%d" length="%d"/>\n        <text>%s</text>\n      </annotation>\n'
                        % (loc["offset"], loc["length"], escape(a["text"])))
            o.write("    </passage>\n")
        for r in d["relations"]:
            o.write('    <relation id=%s>\n' % quoteattr(r["id"]))
            for k in ("relation", "Chemical", "Disease"):
                o.write('      <infon key="%s">%s</infon>\n' % (k, escape(r["infons"][k])))
            o.write("    </relation>\n")
        o.write("  </document>\n")
    o.write("</collection>\n")
    return o.getvalue()


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    gold = json.load(open(source, encoding="utf-8"))
    docs = list(gold.items())[:PUBMED_COUNT]
    data = pubmed_xml(docs).encode("utf-8")
    with open(os.path.join(CORPUS, "pubmed-bc5cdr-sample.xml.gz"), "wb") as f:
        with gzip.GzipFile(filename="pubmed-bc5cdr-sample.xml", mode="wb", fileobj=f, mtime=0) as gz:
            gz.write(data)
    pt = read_pubtator(os.path.join(CORPUS, "bc5cdr-test-20.pubtator"))
    bdocs = bioc_documents(pt, gold)
    with open(os.path.join(CORPUS, "bc5cdr-test-20.bioc.xml"), "w", encoding="utf-8") as f:
        f.write(bioc_xml(bdocs))
    collection = {"source": "BC5CDR test (BioCreative V CDR), converted", "date": "2015", "key": "BioC.key",
                  "infons": {}, "documents": bdocs}
    with open(os.path.join(CORPUS, "bc5cdr-test-20.bioc.json"), "w", encoding="utf-8") as f:
        json.dump(collection, f, ensure_ascii=False, indent=1)
        f.write("\n")
    empty = sum(1 for _, d in docs if not d["abstract"].strip())
    print("pubmed xml: %d articles (%d without abstract); bioc: %d documents, %d annotations, %d relations"
          % (len(docs), empty, len(bdocs), sum(len(p["annotations"]) for d in bdocs for p in d["passages"]),
             sum(len(d["relations"]) for d in bdocs)))


if __name__ == "__main__":
    main()
