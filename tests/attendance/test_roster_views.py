"""Roster pages: shifts and the roster import for the admin OPD and BKPSDM, every denial,
odd files and input, and the shift shown on an employee's month."""
import datetime
import io
import re

from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from kinerja.models import AuditLog, RosterDay, Shift, Unit

from ..support import HX
from ..support.evaluation import as_employee, as_user, make_admin_opd
from .conftest import csv_file

SHIFTS = "/presensi/shift"
ROSTER = "/presensi/jadwal-dinas"


def add_shifts(client):
    """Two shifts beside the demo Puskesmas's own P, S and M."""
    pkm = Unit.get(Unit.code == "PKM-SUKAMAJU")
    for code, name, start, end in (("J", "Jaga", "08:00", "20:00"), ("N", "Malam panjang", "20:00", "08:00")):
        response = client.post(SHIFTS, data={"unit": pkm.id, "code": code, "name": name,
                                             "starts": start, "ends": end})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return {s.code: s for s in Shift.select().where(Shift.unit == pkm.id)}


def ours(cast):
    return RosterDay.select().where(RosterDay.employee.in_([cast.nurse.id, cast.colleague.id]))


def upload(client, content: bytes, name="jadwal.csv", month="2026-11", **headers):
    return client.post(f"{ROSTER}/pratinjau", data={"file": (io.BytesIO(content), name), "month": month},
                       content_type="multipart/form-data", headers=headers)


def token_of(page):
    return page.split('name="token" type="hidden" value="')[1].split('"')[0]


def test_anonymous_and_pegawai_are_turned_away(client, cast):
    for url in (SHIFTS, ROSTER, f"{ROSTER}/templat.xlsx"):
        assert client.get(url).status_code in (302, 401), url
    as_employee(client, cast.nurse)
    for url in (SHIFTS, ROSTER, f"{ROSTER}/templat.xlsx", f"{SHIFTS}?ubah=1"):
        assert client.get(url).status_code == 403, url
    for url in (SHIFTS, f"{SHIFTS}/1", f"{SHIFTS}/1/hapus", f"{ROSTER}/pratinjau", f"{ROSTER}/simpan"):
        assert client.post(url, data={}).status_code == 403, url
    as_employee(client, cast.penilai)  # head of the Puskesmas, not its admin
    assert client.get(SHIFTS).status_code == 403 and client.get(ROSTER).status_code == 403


def test_the_admin_opd_keeps_shifts_with_messages_beside_the_fields(client, cast):
    as_user(client, "admin.dinkes")
    assert client.get(SHIFTS).status_code == 200
    shifts = add_shifts(client)
    assert AuditLog.select().where(AuditLog.action == "shift.create").count() == 2
    pkm = Unit.get(Unit.code == "PKM-SUKAMAJU")
    for data, says in (({"code": "P", "name": "Pagi", "starts": "06:00", "ends": "13:00"}, "sudah dipakai"),
                       ({"code": "X", "name": "X", "starts": "25:00", "ends": "13:00"}, "Tulis jam seperti 07:30"),
                       ({"code": "X", "name": "X", "starts": "07:00", "ends": "07:00"}, "tidak boleh sama"),
                       ({"code": "L", "name": "Libur", "starts": "07:00", "ends": "08:00"}, "hari libur"),
                       ({"code": "<b>", "name": "", "starts": "", "ends": ""}, "Kode 1–4 huruf")):
        response = client.post(SHIFTS, data={"unit": pkm.id, **data})
        assert response.status_code == 422 and says in response.get_data(as_text=True), says
    other = Unit.get(Unit.code == "DISDIK")
    assert client.post(SHIFTS, data={"unit": other.id, "code": "Q", "name": "Q", "starts": "07:00",
                                     "ends": "08:00"}).status_code == 422
    page = client.get(f"{SHIFTS}?ubah={shifts['N'].id}").get_data(as_text=True)
    assert 'value="20:00"' in page and "Ubah shift N" in page
    response = client.post(f"{SHIFTS}/{shifts['N'].id}", data={"unit": other.id, "code": "N", "name": "Malam",
                                                               "starts": "22:00", "ends": "07:00"})
    assert response.status_code == 302
    changed = Shift.get_by_id(shifts["N"].id)
    assert changed.starts == datetime.time(22) and changed.unit_id == pkm.id
    assert client.post(f"{SHIFTS}/{shifts['J'].id}/hapus").status_code == 302
    assert Shift.get_or_none(Shift.id == shifts["J"].id) is None
    # The demo's P carries a roster: it stays, with the reason.
    in_use = client.post(f"{SHIFTS}/{shifts['P'].id}/hapus")
    assert in_use.status_code == 409 and "sudah dipakai pada jadwal dinas" in in_use.get_data(as_text=True)


def test_another_opds_admin_gets_404_for_these_shifts(client, cast):
    as_user(client, "admin.dinkes")
    shift = add_shifts(client)["J"]
    as_user(client, make_admin_opd("DISDIK", "admin.disdik"))
    assert client.get(f"{SHIFTS}?ubah={shift.id}").status_code == 404
    assert client.post(f"{SHIFTS}/{shift.id}", data={"code": "P", "name": "x", "starts": "07:00",
                                                     "ends": "08:00"}).status_code == 404
    assert client.post(f"{SHIFTS}/{shift.id}/hapus").status_code == 404
    assert "PKM" not in client.get(SHIFTS).get_data(as_text=True)
    assert client.get(f"{SHIFTS}?ubah=99999999999999999999").status_code == 200
    assert Shift.get_or_none(Shift.id == shift.id) is not None


def test_dry_run_then_confirm_and_the_month_shows_the_shifts(client, cast):
    as_user(client, "admin.dinkes")
    add_shifts(client)
    response = upload(client, csv_file(["NIP,Nama,21,22,23", f"{cast.nurse.nip},Perawat,P,M,L"]), **HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="import-work"' in page and "<html" not in page
    assert "Belum ada yang disimpan" in page and "November 2026" in page and not ours(cast).exists()
    token = token_of(page)
    assert f'action="{ROSTER}/simpan?bulan=2026-11"' in page
    response = client.post(f"{ROSTER}/simpan?bulan=2026-11", data={"token": token})
    assert response.status_code == 303 and ours(cast).count() == 3
    again = client.post(f"{ROSTER}/simpan?bulan=2026-11", data={"token": token})
    assert again.status_code in (302, 303) and ours(cast).count() == 3
    as_employee(client, cast.nurse)
    page = client.get("/presensi/?tahun=2026").get_data(as_text=True)
    assert "Jadwal dinas November 2026" in page and "Malam" in page and "Libur" in page
    as_user(client, "admin.dinkes")
    page = client.get(f"/presensi/pegawai/{cast.nurse.id}?tahun=2026&bulan=11").get_data(as_text=True)
    assert 'id="roster-days"' in page


def test_the_month_beside_the_upload_button_is_the_month_the_file_is_read_as(client, cast):
    as_user(client, "admin.dinkes")
    add_shifts(client)
    blank = client.get(ROSTER).get_data(as_text=True)
    # Next month is offered, in the upload form itself (the one that posts the file).
    upload_form = blank.split(f'action="{ROSTER}/pratinjau"')[1].split("</form>")[0]
    offered = re.search(r'<input[^>]*name="month"[^>]*>', upload_form).group(0)
    assert 'type="month"' in offered and f'value="{_next_month():%Y-%m}"' in offered
    page = upload(client, csv_file(["NIP,Nama,1,2", f"{cast.nurse.nip},Perawat,P,L"]),
                  month="2027-02").get_data(as_text=True)
    assert "Jadwal dinas Februari 2027" in page and 'value="2027-02"' in page
    assert f'action="{ROSTER}/simpan?bulan=2027-02"' in page
    assert client.post(f"{ROSTER}/simpan?bulan=2027-02", data={"token": token_of(page)}).status_code == 303
    assert {d.day for d in ours(cast)} == {datetime.date(2027, 2, 1), datetime.date(2027, 2, 2)}


def test_after_a_refused_file_the_template_offered_is_the_month_typed(client, cast):
    as_user(client, "admin.dinkes")
    add_shifts(client)
    page = upload(client, b"a,b\n1,2\n", month="2027-03").get_data(as_text=True)
    assert "Kolom NIP" in page
    template_month = re.search(r'<input[^>]*id="template-month"[^>]*>', page).group(0)
    assert 'value="2027-03"' in template_month
    # A month the form refused leaves the template at next month.
    page = upload(client, b"a,b\n1,2\n", month="2026-13").get_data(as_text=True)
    template_month = re.search(r'<input[^>]*id="template-month"[^>]*>', page).group(0)
    assert f'value="{_next_month():%Y-%m}"' in template_month


def test_bad_rows_and_bad_files_are_answered_without_saving(client, cast):
    as_user(client, "admin.dinkes")
    add_shifts(client)
    page = upload(client, csv_file(["NIP,1,2", f"{cast.nurse.nip},P,Z", f"{cast.outsider.nip},P,P",
                                    "199912312020121999,P,", f"{cast.colleague.nip},P\x01,"])).get_data(as_text=True)
    assert "bukan pegawai" in page and "tidak terdaftar" in page and "“Z”" in page
    assert "karakter tak terlihat" in page and 'name="token"' not in page
    forty = ",".join(str(d) for d in range(1, 41))
    for content, name, says in ((b"\x00\x01garbage", "x.xlsx", "tidak dapat dibaca"),
                                (b"a,b\n1,2\n", "x.csv", "Kolom NIP"),
                                (b"NIP,Nama\n199001012015032001,x\n", "x.csv", "Tidak ada kolom tanggal"),
                                (f"NIP,{forty}\n{cast.nurse.nip}\n".encode(), "x.csv", "hanya sampai tanggal 30"),
                                (b"", "x.csv", "kosong"),
                                (b"NIP,1\n", "x.pdf", ".xlsx")):
        response = upload(client, content, name=name)
        assert response.status_code == 422 and says in response.get_data(as_text=True), name
    for month, says in (("bukan", "Bulan tidak dikenali"), ("2026-13", "Bulan tidak dikenali"),
                        ("", "Pilih bulan jadwal dinas.")):
        response = upload(client, csv_file(["NIP,1", f"{cast.nurse.nip},P"]), month=month)
        page = response.get_data(as_text=True)
        # Beside the month field, with what was typed kept in it.
        typed = re.search(r'<input[^>]*name="month"[^>]*>', page).group(0)
        assert response.status_code == 422 and says in page and f'value="{month}"' in typed, month
    assert client.post(f"{ROSTER}/simpan", data={"token": "../../etc/passwd"}).status_code in (302, 303)
    assert client.post(f"{ROSTER}/simpan", data={}).status_code in (302, 303)
    assert client.post(f"{ROSTER}/pratinjau", data={}).status_code == 422
    assert not ours(cast).exists()


def test_the_template_is_the_chosen_month_and_formula_safe(client, cast):
    as_user(client, "admin.dinkes")
    pkm = Unit.get(Unit.code == "PKM-SUKAMAJU")
    assert client.post(SHIFTS, data={"unit": pkm.id, "code": "Q", "name": "=1+1", "starts": "07:00",
                                     "ends": "14:00"}).status_code == 302
    response = client.get(f"{ROSTER}/templat.xlsx?bulan=2027-02")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Jadwal dinas", "Kode shift"]
    header = [c.value for c in book["Jadwal dinas"][1]]
    assert header[:3] == ["NIP", "Nama", "1"] and header[-1] == "28"
    names = [row[2].value for row in book["Kode shift"].iter_rows(min_row=2)]
    assert not any(str(n).startswith("=") for n in names if n)
    assert client.get(f"{ROSTER}/templat.xlsx?bulan=zz").status_code == 200


_text = st.text(max_size=30)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(_text, min_size=1, max_size=40), cells=st.lists(_text, max_size=40), month=_text)
def test_no_roster_file_gives_a_500(client, cast, header, cells, month):
    as_user(client, "admin.dinkes")
    lines = [",".join(h.replace(",", " ").replace("\n", " ") for h in header),
             ",".join(c.replace(",", " ").replace("\n", " ") for c in [cast.nurse.nip, *cells])]
    response = upload(client, "\n".join(lines).encode(), month=month)
    assert response.status_code in (200, 422)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(unit=_text, code=_text, name=_text, starts=_text, ends=_text)
def test_no_shift_input_gives_a_500(client, cast, unit, code, name, starts, ends):
    as_user(client, "admin.dinkes")
    response = client.post(SHIFTS, data={"unit": unit, "code": code, "name": name, "starts": starts,
                                         "ends": ends})
    assert response.status_code in (302, 422)


def test_a_shift_removed_between_dry_run_and_confirmation_saves_nothing(client, cast):
    as_user(client, "admin")  # BKPSDM imports for any OPD
    shifts = add_shifts(client)
    page = upload(client, csv_file(["NIP,1", f"{cast.nurse.nip},J", f"{cast.outsider.nip},L"])).get_data(as_text=True)
    token = token_of(page)
    assert client.post(f"{SHIFTS}/{shifts['J'].id}/hapus").status_code == 302
    response = client.post(f"{ROSTER}/simpan?bulan=2026-11", data={"token": token})
    assert response.status_code == 409 and "Data berubah sejak pratinjau" in response.get_data(as_text=True)
    assert not ours(cast).exists()


def _next_month() -> datetime.date:
    from kinerja import clock
    return (clock.today().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
