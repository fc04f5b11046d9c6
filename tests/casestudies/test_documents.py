"""The case study as PDF and DOCX: the story, only the quotes and photos their consent allows,
photos with their alt text; resident text written as text, never markup."""

from __future__ import annotations

import io

import pytest

from c2hub.casestudies import documents, selectors, services
from tests.casestudies.conftest import CONSENT, png_upload
from tests.documents import pdf_is_tagged

pytestmark = pytest.mark.django_db


def _docx_text(body: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(body))
    return "\n".join(p.text for p in doc.paragraphs)


def test_docx_for_the_public_leaves_out_what_consent_does_not_cover(case_study, quotes):
    services.photo_add(
        actor=None,
        case_study=case_study,
        image=png_upload(),
        alt_text="Dancers on the stage",
        caption="The first show",
        consent_scope="publication",
        **CONSENT,
    )
    services.case_study_publish(actor=None, case_study=case_study, audience="public")
    body = documents.render_docx(case_study, selectors.shown_items(case_study))
    text = _docx_text(body)
    assert "They named themselves after the postcode." in text
    assert "We have somewhere to go now." in text
    for left_out in ("The police listen to us.", "I love dancing.", "I changed my mind"):
        assert left_out not in text
    assert "Truancy down 90% (school records)" in text
    assert b'descr="Dancers on the stage"' in _document_xml(body)


def _document_xml(body: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(body)) as z:
        return z.read("word/document.xml")


def test_pdf_is_tagged_and_has_the_story(case_study, quotes):
    services.photo_add(
        actor=None, case_study=case_study, image=png_upload(), alt_text="Dancers", consent_scope="team", **CONSENT
    )
    pdf = documents.render_pdf(case_study, selectors.shown_items(case_study))
    assert pdf_is_tagged(pdf)  # PDF/UA: structure tree, language, identifier
    html = documents.render_html_document(case_study, selectors.shown_items(case_study))
    assert "The police listen to us." in html  # a draft is for the team
    assert "I changed my mind" not in html


def test_markup_in_resident_text_stays_text(case_study, facilitator):
    services.quote_add(
        actor=facilitator,
        case_study=case_study,
        text="<script>alert('x')</script> & <b>bold</b>",
        attribution="A resident",
        consent_scope="team",
        **CONSENT,
    )
    shown = selectors.shown_items(case_study)
    html = documents.render_html_document(case_study, shown)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "<script>alert('x')</script> & <b>bold</b>" in _docx_text(documents.render_docx(case_study, shown))
