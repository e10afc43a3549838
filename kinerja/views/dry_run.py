"""The dry run, then all or nothing: the one flow of the spreadsheet imports that save in the
request (attendance, training records, a unit's service log).

The dry run checks every row and writes nothing; a file with no bad row is kept under a
token for the confirmation, which reads the kept file again and hands it to the store, whose
transaction checks every row once more: if the data changed since the dry run, nothing is
written and the page lists the rows that now fail."""
import os
from dataclasses import dataclass

from flask import current_app, flash, redirect
from flask_login import current_user

from ..htmx import htmx_redirect, is_htmx, respond
from ..rules import DomainError
from ..spreadsheets import SpreadsheetError, read_rows
from ..stores.kept import Spreadsheets
from .toolkit import refused

GONE = ("Berkas pratinjau tidak ditemukan lagi (sudah disimpan atau kedaluwarsa). "
        "Unggah ulang berkasnya.")
CHANGED = ("Data berubah sejak pratinjau: ada baris yang kini bermasalah. Tidak ada yang "
           "disimpan; perbaiki berkasnya lalu unggah ulang.")


@dataclass(frozen=True)
class DryRunImport:
    upload_form: type
    confirm_form: type
    kept: Spreadsheets
    max_rows: int = 50000

    def _read(self, filename, content, form):
        """(headers, rows) of the file, or None with the reason beside the file field."""
        try:
            return read_rows(filename, content, max_rows=self.max_rows)
        except SpreadsheetError as exc:
            form.file.errors.append(str(exc))
            return None

    def preview(self, page, plan_of, ready):
        """`page(**parts)` draws the import page; `plan_of(sheet)` checks the rows;
        `ready(plan)` says whether the plan may be confirmed."""
        form = self.upload_form()
        if not form.validate_on_submit():
            return page(form=form, status=422)
        filename = os.path.basename(form.file.data.filename or "berkas")[:120]
        sheet = self._read(filename, form.content, form)
        if sheet is None:
            return page(form=form, status=422)
        try:
            plan = plan_of(sheet)
        except DomainError as exc:
            refused(exc, form)
            return page(form=form, status=422)
        confirm = None
        if ready(plan):
            token = self.kept.keep(current_app.config["UPLOAD_DIR"], current_user.id, filename,
                                   form.content)
            confirm = self.confirm_form(formdata=None, data={"token": token})
        return page(plan=plan, confirm=confirm, filename=filename)

    def confirm(self, page, save, done, back: str, after: str):
        """`save(sheet, filename)` returns (plan, rows written; 0 when the rows changed);
        `done(plan, written)` is the message; `back` is the import page, `after` where a
        saved import leads."""
        form = self.confirm_form()
        stored = self.kept.kept(current_app.config["UPLOAD_DIR"], current_user.id,
                                form.token.data if form.validate_on_submit() else "")
        if stored is None:
            return respond(None, redirect=back, category="warning", message=GONE)
        path, filename = stored
        upload_form = self.upload_form(formdata=None)
        sheet = self._read(path.name, path.read_bytes(), upload_form)
        if sheet is None:
            self.kept.discard(path)
            return page(form=upload_form, status=422)
        try:
            plan, written = save(sheet, filename)
        except DomainError as exc:
            self.kept.discard(path)
            refused(exc, upload_form)
            return page(form=upload_form, status=422)
        if not written:
            return page(plan=plan, status=409, notice=CHANGED)
        self.kept.discard(path)
        flash(done(plan, written), "success")
        return htmx_redirect(after) if is_htmx() else redirect(after, code=303)
