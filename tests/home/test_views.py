"""The Beranda of each demo role: the work that is theirs, linked to where it is done."""
import datetime
import re

from kinerja.models import Employee, Evaluation, Notification, Skp, Unit, User
from tests.support import HX, counted_get
from tests.support.evaluation import as_employee, as_user, demo_cast
from tests.support.skp import YEAR, holder, login_as, ready_plan


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _card(response, card_id) -> str:
    html = response.get_data(as_text=True)
    start = html.index(f'id="{card_id}"')
    return html[start:html.index("</article>", start)]


def test_login_required(client):
    response = client.get("/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_nurse_without_plan_is_told_to_draft_it_before_the_deadline(client, q):
    login_as(client, q, "perawat-skm")
    page = client.get("/")
    card = _card(page, "my-skp")
    assert f"Anda belum menyusun SKP {YEAR}" in card
    assert 'href="/skp/"' in card
    assert "31 Januari" in card  # the year's deadline, said before it is too late


def test_submitted_plan_says_since_when_and_returned_plan_counts_the_notes(client, q, in_db):
    login_as(client, q, "perawat-skm")
    skp_id = ready_plan(client, q)
    card = _card(client.get("/"), "my-skp")
    assert "Menunggu persetujuan Pejabat Penilai sejak" in card and f"/skp/{skp_id}" in card

    kapus = q(lambda: holder("kapus-skm"))
    rhk_ids = q(lambda: [r.id for r in Skp.get_by_id(skp_id).rhks])
    as_employee(client, kapus)
    response = client.post(f"/skp/{skp_id}/keputusan", data={
        "decision": "return", "comment": "Perbaiki target",
        f"rhk_comment-{rhk_ids[0]}": "Target terlalu rendah",
        f"rhk_comment-{rhk_ids[1]}": "Sebutkan sasaran keluarga"})
    assert response.status_code in (200, 302), response.get_data(as_text=True)[:500]
    login_as(client, q, "perawat-skm")
    card = _card(client.get("/"), "my-skp")
    assert "dikembalikan dengan 2 catatan" in card and "Perbaiki target" in card


def test_supervisor_sees_plans_and_evaluations_waiting_oldest_first(client, q):
    cast = q(demo_cast)
    as_employee(client, cast.penilai)
    card = _card(client.get("/"), "team-work") + _card(client.get("/"), "team-overview")
    waiting = q(lambda: list(Skp.select().where((Skp.appraiser == cast.penilai.id)
                                                & (Skp.status == "submitted"))
                             .order_by(Skp.submitted_at, Skp.id)))
    assert waiting, "the demo gives the Kepala Puskesmas plans to approve"
    links = re.findall(r'href="/skp/(\d+)/tinjau"', card)
    assert [int(i) for i in links] == [s.id for s in waiting]
    rating = q(lambda: Evaluation.select().where((Evaluation.appraiser == cast.penilai.id)
                                                 & (Evaluation.status == "submitted")).count())
    assert f"Evaluasi menunggu penilaian <span class=\"count\">{rating}</span>" in card
    assert "<svg" in card and "Predikat tim" in card


def test_the_count_follows_a_decision_without_a_reload(client, q):
    cast = q(demo_cast)
    as_employee(client, cast.penilai)
    before = client.get("/", headers=HX)
    html = before.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="beranda"') and "<html" not in html
    assert 'hx-trigger="every 60s' in html
    first = int(re.search(r'href="/skp/(\d+)/tinjau"', html).group(1))
    count = int(re.search(r'SKP menunggu persetujuan <span class="count">(\d+)', html).group(1))
    response = client.post(f"/skp/{first}/keputusan", data={"decision": "approve", "comment": ""})
    assert response.status_code in (200, 302)
    after = client.get("/", headers=HX).get_data(as_text=True)
    assert f'SKP menunggu persetujuan <span class="count">{count - 1}' in after
    assert f'/skp/{first}/tinjau' not in after


def test_atasan_sees_objection_with_days_left(client, q, travel):
    cast = q(demo_cast)
    as_employee(client, cast.atasan)
    card = _card(client.get("/"), "objections")
    assert cast.objector.full_name in card
    assert re.search(r"(\d+ hari lagi|batas hari ini|lewat \d+ hari)", card)


def test_head_of_opd_sees_the_opds_progress_and_its_service_units(client, q):
    cast = q(demo_cast)
    as_employee(client, cast.atasan)
    assert 'hx-get="/beranda/ikhtisar"' in client.get("/").get_data(as_text=True)
    card = _card(client.get("/beranda/ikhtisar", headers=HX), "opd-progress")

    def counts():
        dinkes = Unit.get(Unit.code == "DINKES") if Unit.get_or_none(Unit.code == "DINKES") else \
            Unit.get_by_id(cast.atasan.unit_id)
        people = Employee.select(Employee.id).join(Unit, on=(Employee.unit == Unit.id)).where(
            Employee.active & Unit.within(dinkes))
        approved = Skp.select().where((Skp.year == YEAR) & (Skp.status == "approved")
                                      & Skp.employee.in_(people)).count()
        return approved, people.count()
    approved, total = q(counts)
    assert f"{approved} dari {total}" in card
    assert "Kurva predikat" in card and "IKM unit layanan" in card and "Puskesmas" in card
    # The head reaches the OPD's talent map from here (the menu does not ask who heads an OPD).
    for link in ("/talenta/", "/presensi/unit", "/waktu-layanan/"):
        assert f'href="{link}"' in card and client.get(link).status_code == 200, link


def test_pegawai_sees_no_team_or_admin_cards(client, q):
    login_as(client, q, "perawat-skm")
    html = client.get("/").get_data(as_text=True)
    for card in ("team-work", "objections", "overview"):
        assert f'id="{card}"' not in html
    assert client.get("/beranda/ikhtisar").status_code == 404


def test_admin_sees_completion_per_opd_and_data_problems(client, q, in_db):
    as_user(client, "admin")
    page = client.get("/beranda/ikhtisar")
    card = _card(page, "admin-progress")
    opds = q(lambda: [u.name for u in Unit.select().where(Unit.parent.is_null() & Unit.active)])
    assert card.count('class="bar completion"') == len(opds)  # every demo OPD has people
    assert all(name[:40] in card for name in opds)

    def drop_position():
        nurse = holder("perawat-skm", 1)
        Employee.update(position=None).where(Employee.id == nurse.id).execute()
    in_db(drop_position)
    problems = _card(client.get("/beranda/ikhtisar"), "admin-problems")
    assert re.search(r'<span class="count">(\d+)</span> pegawai tanpa jabatan', problems)


def test_admin_opd_sees_only_its_own_opd(client, q):
    as_user(client, "admin.dinkes")
    html = client.get("/beranda/ikhtisar").get_data(as_text=True)
    card = _card(client.get("/beranda/ikhtisar"), "admin-progress")
    assert "Kelengkapan Dinas Kesehatan" in card
    others = q(lambda: [u.name for u in Unit.select().where(Unit.parent.is_null()
                                                            & (Unit.name != "Dinas Kesehatan"))])
    assert not any(name in html for name in others)


def test_unread_notifications_link_through_the_centre_that_marks_them_read(client, q, in_db):
    worker = q(lambda: holder("perawat-skm"))
    in_db(lambda: Notification.create(recipient=worker.id, text="SKP Anda dikembalikan",
                                      link="/skp/"))
    login_as(client, q, "perawat-skm")
    card = _card(client.get("/"), "my-notifications")
    notice_id = q(lambda: Notification.get(Notification.text == "SKP Anda dikembalikan").id)
    assert f"/notifikasi/{notice_id}/buka" in card
    client.get(f"/notifikasi/{notice_id}/buka")
    assert "SKP Anda dikembalikan" not in _card(client.get("/"), "my-notifications")


def test_supervisor_beranda_queries_do_not_grow_with_the_team(client, q, in_db):
    cast = q(demo_cast)
    as_employee(client, cast.penilai)
    before, _ = counted_get(client, "/")

    def more_team():
        nurse = holder("perawat-skm")
        for i in range(15):
            clone = Employee.create(nip=f"19900101201501{i:04d}", name=f"Tambahan {i}",
                                    position=nurse.position_id, unit=nurse.unit_id)
            Skp.create(employee=clone.id, year=YEAR, status="submitted",
                       period_start=datetime.date(YEAR, 1, 1), period_end=datetime.date(YEAR, 12, 31),
                       appraiser=cast.penilai.id, submitted_at=datetime.datetime(YEAR, 2, 1, 9))
    in_db(more_team)
    after, html = counted_get(client, "/")
    assert "Tambahan" in html
    assert after == before


def test_a_system_account_without_employee_gets_a_clear_page(client, q, in_db):
    in_db(lambda: User.update(scope_unit=None).where(User.username == "admin.dinkes").execute())
    as_user(client, "admin.dinkes")
    response = client.get("/")
    assert response.status_code == 200
    assert "tidak terhubung ke data pegawai" in _text(response)


def test_a_complaint_handler_is_told_on_the_beranda_what_waits_at_their_desk(client, q):
    """The handler is a pegawai whose menu has no complaint inbox: the Beranda leads there."""
    from kinerja.models import Complaint, ComplaintDesk, Employee

    def desk():
        handler = ComplaintDesk.select().where(ComplaintDesk.handler.is_null(False)).get().handler
        waiting = Complaint.select().where(
            Complaint.service_unit.in_(ComplaintDesk.select(ComplaintDesk.service_unit)
                                       .where(ComplaintDesk.handler == handler.id))
            & Complaint.state.not_in(("selesai", "ditolak"))).count()
        return Employee.get_by_id(handler.id), waiting
    handler, waiting = q(desk)
    assert waiting > 0
    as_employee(client, handler)
    html = client.get("/").get_data(as_text=True)
    assert f'<span class="count">{waiting}</span> pengaduan masyarakat belum selesai' in html
    assert 'href="/kelola-pengaduan"' in html and client.get("/kelola-pengaduan").status_code == 200
