"""Factiva HTML exports: ``div.article`` blocks inside a page of scripts and navigation.

Each article, as Factiva writes it (class prefix and labels follow the language)::

    <div class="article enArticle">            <- "deArticle", "frArticle" ...
      <div id="hd"><span class="enHeadline">Headline</span></div>
      <div class="author">By Jane Doe</div>     <- optional
      <div>1,234 words</div>                     <- "1.234 Wörter", "1 234 mots"
      <div>11 January 2010</div>                 <- "11 Januar 2010"
      <div>14:25</div>                           <- optional time
      <div>The Guardian</div>                    <- source name
      <div>GRDN</div>                            <- source code
      <div>16</div>                              <- optional page / edition
      <div>English</div>                         <- "Deutsch"
      <div>(c) 2010 Guardian Newspapers Limited</div>
      <p class="articleParagraph enarticleParagraph">...</p> ...
      <p>Document GRDN000020100111e61b0001f</p>  <- accession number ("Dokument ...")
    </div>

The unlabelled metadata lines are recognised by their content (a word count, a date, a time, a
language name, a copyright line, a short upper-case source code), not by position, because
optional lines shift the positions. Everything outside ``div.article`` is ignored.
"""

from __future__ import annotations

import re

import pandas as pd

from .dates import parse_date_text
from .language import normalise_language
from .markup import clean_text, element_text, parse_page

_WORDS = re.compile(r"^(\d[\d.,\s\u00a0\u202f]*)\s+(words|wörter|worte|mots|palabras|parole|woorden|palavras|słów|ord|"
                    r"слов|字)$", re.I)
_TIME = re.compile(r"^\d{1,2}:\d{2}(\s*(am|pm))?(\s+[A-Z]{2,5})?$", re.I)
_COPY = re.compile(r"^(\(c\)|©|copyright\b)|rights reserved|rechte vorbehalten|droits réservés", re.I)
_DOC_ID = re.compile(r"^(Document|Dokument|Documento|Documenten?)\s+([A-Za-z0-9]{15,})$")
_CODE = re.compile(r"^[A-Z0-9]{1,10}$")
_ARTICLE_XPATH = '//div[contains(concat(" ", normalize-space(@class), " "), " article ")]'


def looks_like_factiva(text: str) -> bool:
    """Content test: article blocks with Factiva's paragraph class."""
    return "articleParagraph" in text and re.search(r'class="article\s+\w*Article', text) is not None


def _meta_lines(article) -> list[str]:
    """Texts of the unlabelled metadata divs (no id, no class, no nested div), in order."""
    out = []
    for div in article.xpath(".//div[not(@id) and not(@class)]"):
        if div.xpath(".//div") or div.xpath('.//p[contains(@class, "articleParagraph")]'):
            continue
        text = element_text(div)
        if text and len(text) < 300:
            out.append(text)
    return out


def _classify_meta(lines: list[str], rec: dict) -> None:
    """Fill word_count, date, time, outlet, source_code, edition, lang, copyright, source_id from lines."""
    rest: list[str] = []
    for ln in lines:
        if (m := _WORDS.match(ln)) and "word_count" not in rec:
            digits = re.sub(r"\D", "", m.group(1))
            rec["word_count"] = int(digits) if digits else None
        elif pd.isna(rec["date"]) and not pd.isna(parse_date_text(ln)) and len(ln.split()) <= 6:
            rec["date"] = parse_date_text(ln)
        elif _TIME.match(ln) and "time" not in rec:
            rec["time"] = ln
        elif m := _DOC_ID.match(ln):
            rec["source_id"] = m.group(2)
        elif _COPY.search(ln) and not rec.get("copyright"):
            rec["copyright"] = ln
        elif len(ln) > 3 and normalise_language(ln) and len(ln.split()) <= 3 and not rec.get("lang"):
            rec["lang"] = ln
        else:
            rest.append(ln)
    if rest and not rec["outlet"]:
        rec["outlet"] = rest.pop(0)
    if rest and _CODE.match(rest[0]):
        rec["source_code"] = rest.pop(0)
    if rest:
        rec["edition"] = "; ".join(rest)


def parse_article(article) -> tuple[dict, list[str]]:
    """One ``div.article`` element to a record and notes."""
    rec: dict = {"title": "", "outlet": "", "author": "", "date": pd.NaT}
    head = article.xpath('.//*[contains(@class, "Headline")] | .//div[@id="hd"]')
    rec["title"] = element_text(head[0]) if head else ""
    author = article.xpath('.//div[contains(@class, "author")]')
    if author:
        rec["author"] = re.sub(r"^(by|von|par|por|door|di)\s+", "", element_text(author[0]), flags=re.I)
    _classify_meta(_meta_lines(article), rec)
    for p in article.xpath(".//p"):
        if m := _DOC_ID.match(element_text(p)):
            rec["source_id"] = m.group(2)
    paras = [element_text(p) for p in article.xpath('.//p[contains(@class, "articleParagraph")]')]
    rec["text"] = "\n\n".join(p for p in paras if p and not _DOC_ID.match(p))
    if not rec.get("lang"):
        cls = re.search(r"\b(\w+)Article\b", article.get("class", ""))
        rec["lang"] = normalise_language(cls.group(1)) if cls else ""
    notes = [] if not pd.isna(rec["date"]) else ["no date line"]
    return rec, notes


def parse_factiva(html: str) -> tuple[list[dict], list[str]]:
    """Every article of a Factiva HTML export; returns ``(records, notes)``.

    Records carry title, author, word_count, date, time, outlet (source name), source_code,
    edition (page or edition lines), lang, copyright, source_id (Factiva accession number),
    text (the article paragraphs, lead paragraph first) and ``doc_number``.
    """
    root = parse_page(html)
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    articles = root.xpath(_ARTICLE_XPATH)
    articles = [a for a in articles if not any(anc in articles for anc in a.iterancestors())]
    records, notes = [], []
    for n, article in enumerate(articles, 1):
        rec, doc_notes = parse_article(article)
        rec["doc_number"] = n
        notes += [f"article {n}: {x}" for x in doc_notes]
        if not rec["text"].strip():
            notes.append(f"article {n} ({clean_text(rec['title']) or 'untitled'}): no article paragraphs, not loaded")
        records.append(rec)
    if not articles:
        notes.append("no div.article blocks found")
    return records, notes
