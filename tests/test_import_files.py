"""`import` given the files editors are sent: a Word document, text Notepad saved in its own encodings, and files
it cannot read (a PDF, an old .doc), named with how to get their text. A document is someone else's file: bounded."""

from __future__ import annotations

import zipfile

import yaml

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(path, body: str, extra: dict[str, bytes] | None = None) -> None:
    """A Word document as Word writes one: word/document.xml, a body of <w:p> paragraphs, runs with their formatting."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as document:
        document.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types '
                          'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        document.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                          f"<w:document {W}><w:body>{body}</w:body></w:document>")
        for name, data in (extra or {}).items():
            document.writestr(name, data)


def _p(*runs: str) -> str:
    return "<w:p><w:pPr><w:bidi/></w:pPr>" + "".join(runs) + "</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:rPr><w:rtl/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _draft(site) -> tuple[dict, str]:
    [path] = (site.root / "content").rglob("*.md")
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body.strip()


def test_a_word_document_a_correspondent_sent_becomes_a_draft(site):
    site.write({})
    _docx(site.root / "story.docx", "".join([
        _p(_r("افتتاح "), _r("مكتبة عامة"), _r(" جديدة في وسط المدينة")),
        _p(_r("الأحد، 14 ديسمبر 2025")),
        _p(_r("افتتحت البلدية اليوم مكتبة عامة تضم أكثر من خمسين ألف كتاب،"), '<w:r><w:tab/></w:r>',
           _r("وقاعات للقراءة والدراسة."),
           # A tracked deletion: Word no longer shows it, and neither does the draft.
           '<w:del w:id="1" w:author="x"><w:r><w:delText>نص محذوف</w:delText></w:r></w:del>'),
        # A field (a page number) shows its result, not its code; a link shows its words.
        _p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>',
           '<w:hyperlink r:id="rId4" xmlns:r="x">' + _r("وقال رئيس البلدية") + "</w:hyperlink>",
           _r(" إن المكتبة ستفتح أبوابها يومياً حتى العاشرة مساءً.")),
        # A text box inside a paragraph: its own line, not glued to the paragraph around it.
        _p(_r("وأضاف أن المكتبة تضم قسماً للأطفال."),
           '<w:r><w:pict><w:txbxContent>' + _p(_r("وتضم المكتبة مقهى صغيراً للزوار.")) + "</w:txbxContent></w:pict></w:r>"),
    ]), {"word/media/image1.png": b"\x89PNG" + b"\0" * 1000})
    result = site.cli("story.docx", command="import")
    assert result.returncode == 0, result.stderr
    front, body = _draft(site)
    assert front["title"] == "افتتاح مكتبة عامة جديدة في وسط المدينة"
    assert str(front["date"]) == "2025-12-14"
    assert body.split("\n\n") == [
        "افتتحت البلدية اليوم مكتبة عامة تضم أكثر من خمسين ألف كتاب، وقاعات للقراءة والدراسة.",
        "وقال رئيس البلدية إن المكتبة ستفتح أبوابها يومياً حتى العاشرة مساءً.",
        "وتضم المكتبة مقهى صغيراً للزوار.",
        "وأضاف أن المكتبة تضم قسماً للأطفال."]


def test_text_notepad_saved_in_windows_arabic_or_utf16_is_read_as_the_text_it_holds(site):
    page = "افتتاح مكتبة عامة جديدة\n14 ديسمبر 2025\nافتتحت البلدية اليوم مكتبة عامة تضم آلاف الكتب.\n"
    site.write({})
    for encoding in ("cp1256", "utf-16"):
        (site.root / f"page-{encoding}.txt").write_bytes(page.encode(encoding))
        result = site.cli(f"page-{encoding}.txt", "--dry-run", command="import")
        assert result.returncode == 0, result.stderr
        assert "title:   افتتاح مكتبة عامة جديدة" in result.stdout and "date:    2025-12-14" in result.stdout


def test_files_that_are_no_text_are_named_with_how_to_get_their_text(site):
    site.write({})
    (site.root / "a.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    (site.root / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with zipfile.ZipFile(site.root / "c.zip", "w") as archive:
        archive.writestr("notes.txt", "x")
    (site.root / "d.docx").write_bytes(b"PK\x03\x04 not really a zip")
    for name, message in (("a.pdf", "a.pdf: is a PDF, not text — open it, select the story's text, copy it"),
                          ("b.doc", "b.doc: is a Word 97-2003 document (.doc), not text"),
                          ("c.zip", "c.zip: is a zip file, not a Word document (.docx)"),
                          ("d.docx", "d.docx: is a damaged Word document — open it in Word, save it again")):
        result = site.cli(name, command="import")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"error: {message}"), result.stderr
    assert not (site.root / "content").exists() or not list((site.root / "content").rglob("*.md"))


def test_a_document_that_unpacks_to_gigabytes_or_declares_entities_is_refused_under_a_memory_cap(site):
    """A zip bomb (a few hundred KB that unpack to 1 GB) and a billion-laughs XML: each refused in one line, neither
    read past its bound."""
    site.write({})
    with zipfile.ZipFile(site.root / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as document:
        with document.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f"<w:document {W}><w:body>".encode())
            for _ in range(1024):
                part.write(b" " * 2**20)
    laughs = ('<!DOCTYPE d [<!ENTITY a "ha">' + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                                                        for i in range(9)) + "]>")
    _docx(site.root / "laughs.docx", "")
    with zipfile.ZipFile(site.root / "laughs.docx", "w") as document:
        document.writestr("word/document.xml", f"{laughs}<w:document {W}><w:body>{_p(_r('&j;'))}</w:body></w:document>")
    for name, message in (("bomb.docx", "bomb.docx: its text unpacks to more than 20 MB"),
                          ("laughs.docx", "laughs.docx: is not a document Word wrote (it declares entities)")):
        result = site.cli(name, command="import", memory_mb=512, timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.startswith(f"error: {message}"), result.stderr
