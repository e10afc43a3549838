"""Friendly error pages in Indonesian; htmx requests get a short fragment instead."""
from flask import render_template
from flask_wtf.csrf import CSRFError

from .htmx import is_htmx
from .rules import DomainError

MESSAGES = {
    400: ("Permintaan tidak dapat diproses", "Data yang dikirim tidak lengkap atau tidak sah."),
    403: ("Akses ditolak", "Anda tidak memiliki hak untuk membuka halaman ini."),
    404: ("Halaman tidak ditemukan", "Halaman yang Anda cari tidak ada atau sudah dipindahkan."),
    405: ("Permintaan tidak diizinkan", "Cara membuka halaman ini tidak diizinkan."),
    409: ("Tidak dapat dilakukan", "Data sudah berubah; muat ulang halaman lalu coba lagi."),
    413: ("Berkas terlalu besar", "Ukuran berkas atau data melebihi batas yang diizinkan."),
    429: ("Terlalu banyak permintaan", "Silakan tunggu sebentar lalu coba lagi."),
    500: ("Terjadi kesalahan", "Maaf, terjadi kesalahan pada sistem. Silakan coba lagi; "
                              "jika berulang, hubungi admin BKPSDM."),
}


def render_error(code: int, message: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    return render_template(template, code=code, title=title, text=message or text), code


def init_app(app) -> None:
    for code in MESSAGES:
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(OverflowError)
    def number_too_large(e):
        # A number past the database's integer range can only be a made-up id or parameter.
        return render_error(404)

    @app.errorhandler(DomainError)
    def domain_error(e):
        # A store refused a step the current data does not allow (someone else was quicker,
        # the period closed): the same reason the rules give, as a conflict.
        return render_error(409, e.message)

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return render_error(400, "Sesi formulir sudah kedaluwarsa atau tidak sah. "
                                 "Muat ulang halaman lalu kirim kembali.")
