"""PDF benchmark: how long xhtml2pdf takes for a 10-page A4 document of our house layout.

    .venv/bin/python -m bench.bench_pdf
"""
import io
import statistics
import tempfile
import time
from pathlib import Path

from jinja2 import ChoiceLoader, DictLoader
from pypdf import PdfReader

from .common import machine, peak_memory_mb

# The Hasil Kerja table of an SKP is the longest thing we print; 105 such rows fill 10 pages.
DOCUMENT = """{% extends "pdf/base.html" %}{% block body %}<h1>SASARAN KINERJA PEGAWAI</h1>
<table class="grid"><tr><th>No</th><th>RHK Atasan yang Diintervensi</th><th>Rencana Hasil Kerja</th>
<th>Aspek</th><th>Indikator Kinerja Individu</th><th>Target</th></tr>
{% for i in range(rows) %}<tr><td>{{ i + 1 }}</td><td>Meningkatnya mutu layanan kesehatan dasar</td>
<td>Terlaksananya pelayanan kesehatan dasar di wilayah kerja {{ i }}</td><td>Kuantitas</td>
<td>Persentase kunjungan yang dilayani sesuai standar</td><td>90 %</td></tr>{% endfor %}
</table>{% endblock %}"""


def main(argv=None):
    from kinerja import create_app
    from kinerja.pdf import render_pdf
    directory = Path(tempfile.mkdtemp())
    app = create_app({"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{directory / 'x.sqlite3'}"})
    app.jinja_loader = ChoiceLoader([app.jinja_loader, DictLoader({"bench.html": DOCUMENT})])
    with app.test_request_context():
        render_pdf("bench.html", rows=10)
        times, pages = [], 0
        for _ in range(7):
            start = time.perf_counter()
            data = render_pdf("bench.html", rows=105)
            times.append((time.perf_counter() - start) * 1000)
            pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"Machine: {machine()}")
    print(f"{pages}-page A4 PDF: median {statistics.median(times):.0f} ms, "
          f"worst {max(times):.0f} ms (7 runs); peak memory {peak_memory_mb():.0f} MB")


if __name__ == "__main__":
    main()
