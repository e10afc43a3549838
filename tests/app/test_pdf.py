import io

from pypdf import PdfReader

import pytest
from jinja2 import ChoiceLoader, DictLoader

from kinerja.pdf import render_pdf

SELFTEST = """{% extends "pdf/base.html" %}
{% block body %}<h1>Uji dokumen</h1>{% if image %}<img src="{{ image }}">{% endif %}
{% for line in lines %}<p>{{ line }}</p>{% endfor %}{% endblock %}"""


@pytest.fixture(autouse=True)
def selftest_template(app):
    app.jinja_loader = ChoiceLoader([app.jinja_loader, DictLoader({"selftest.html": SELFTEST})])


def test_render_pdf_reads_back_with_the_font_and_page_count(app):
    with app.test_request_context():
        data = render_pdf("selftest.html", lines=["Predikat — Sangat Baik", "Capaian 91,48 %"] * 80)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Predikat — Sangat Baik" in text
    assert len(reader.pages) >= 2
    assert "halaman 1" in reader.pages[0].extract_text()
    assert "halaman 2" in reader.pages[1].extract_text()
    fonts = str(reader.pages[0]["/Resources"]["/Font"])
    assert "DejaVu" in str([reader.pages[0]["/Resources"]["/Font"][k].get_object()["/BaseFont"]
                            for k in reader.pages[0]["/Resources"]["/Font"]]) or "DejaVu" in fonts


def test_render_pdf_never_reads_files_outside_static(app):
    with app.test_request_context():
        data = render_pdf("selftest.html", lines=["x"], image="/etc/passwd")
    assert b"root:" not in data
