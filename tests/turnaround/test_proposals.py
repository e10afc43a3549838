"""Indicators proposed to the head of a service unit from its SKM and turnaround evidence;
accepting one adds it to the chosen RHK, nothing is added silently."""
from decimal import Decimal

from kinerja.models import AuditLog, Indicator, Rhk, Skp
from kinerja.rules import turnaround as rules

from ..support import HX
from ..support.evaluation import as_employee, as_user
from ..support.org import holder


def draft_plan_of(employee) -> Skp:
    skp = Skp.select().where(Skp.employee == employee.id).order_by(Skp.year.desc(),
                                                                    Skp.revision.desc()).first()
    Skp.update(status="draft").where(Skp.id == skp.id).execute()
    return Skp.get_by_id(skp.id)


def url(skp, key=None):
    base = f"/waktu-layanan/skp/{skp.id}/usulan-indikator"
    return f"{base}/{key}" if key else base


def indicators(skp):
    return list(Indicator.select().join(Rhk).where(Rhk.skp == skp.id))


def test_targets_step_above_what_was_reached():
    assert rules.next_step(Decimal("2.7"), rules.SKM_TARGETS) == Decimal("3.25")
    assert rules.next_step(Decimal("3.3"), rules.SKM_TARGETS) == Decimal("3.55")
    assert rules.next_step(Decimal("100"), rules.SHARE_TARGETS) == Decimal(100)
    p = rules.skm_proposal(1, "Layanan Adminduk", "u3", "Waktu penyelesaian", Decimal("2.704"),
                           120, 2026)
    assert p.target_text == "NRR unsur Waktu penyelesaian Layanan Adminduk ≥ 3,25"
    assert p.basis == "NRR 2026: 2,7 dari 120 jawaban"


def test_the_head_sees_proposals_with_their_numbers(client, cast):
    skp = draft_plan_of(cast.kabid)
    as_employee(client, cast.kabid)
    assert "Usulan indikator dari bukti lapangan" in client.get(f"/skp/{skp.id}").get_data(as_text=True)
    page = client.get(url(skp)).get_data(as_text=True)
    assert "NRR unsur" in page and "Layanan Adminduk Disdukcapil" in page and "jawaban" in page
    assert "Persentase dokumen Akta Kelahiran selesai ≤ 3 hari kerja" in page and "dokumen; median" in page


def test_accepting_adds_the_indicator_to_the_chosen_rhk_once(client, cast):
    skp = draft_plan_of(cast.kabid)
    rhk = Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.id).first()
    as_employee(client, cast.kabid)
    before = len(indicators(skp))
    key = "waktu-" + __import__("hashlib").sha1(b"akta kelahiran").hexdigest()[:10]
    response = client.post(url(skp, key), headers=HX,
                           data={f"{key}-key": key, f"{key}-rhk": str(rhk.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith('<section id="proposals"')
    assert "ditambahkan ke RHK" in page and "Sudah menjadi indikator SKP ini" in page
    added = indicators(skp)
    assert len(added) == before + 1
    new = Indicator.get(Indicator.text == "Persentase dokumen Akta Kelahiran selesai ≤ 3 hari kerja")
    assert new.rhk_id == rhk.id and new.target_unit == "%" and new.target_min >= 90
    audit = AuditLog.select().where((AuditLog.entity == "rhk") & (AuditLog.entity_id == rhk.id)
                                    & AuditLog.summary.contains("bukti lapangan")).get()
    assert audit.after_dict()["indicator"] == new.id and "dokumen" in audit.after_dict()["basis"]
    again = client.post(url(skp, key), data={f"{key}-key": key, f"{key}-rhk": str(rhk.id)})
    assert again.status_code == 422 and "sudah ada pada SKP" in again.get_data(as_text=True)
    assert len(indicators(skp)) == before + 1


def test_nothing_is_added_without_a_chosen_rhk_or_with_odd_input(client, cast):
    skp = draft_plan_of(cast.kabid)
    as_employee(client, cast.kabid)
    before = len(indicators(skp))
    key = "waktu-" + __import__("hashlib").sha1(b"ktp-el").hexdigest()[:10]
    missing = client.post(url(skp, key), data={f"{key}-key": key, f"{key}-rhk": "0"})
    assert missing.status_code == 422 and "Pilih RHK" in missing.get_data(as_text=True)
    foreign = Rhk.select().where(Rhk.skp != skp.id).first()
    other = client.post(url(skp, key), data={f"{key}-key": key, f"{key}-rhk": str(foreign.id)})
    assert other.status_code == 422
    for odd_key in ["tidak-ada", "x" * 300, "skm-1-u9%00"]:
        response = client.post(url(skp, odd_key), data={f"{odd_key}-key": odd_key,
                                                        f"{odd_key}-rhk": "1"})
        assert response.status_code in (404, 409, 422)
    assert len(indicators(skp)) == before


def test_only_the_owner_of_an_editable_plan_may_take_proposals(client, cast, accounts):
    skp = draft_plan_of(cast.kabid)
    as_employee(client, cast.petugas)
    assert client.get(url(skp)).status_code in (403, 404)
    as_employee(client, cast.head)  # the kabid's Pejabat Penilai
    assert client.get(url(skp)).status_code == 403
    as_user(client, accounts["admin"])
    assert client.get(url(skp)).status_code == 403
    Skp.update(status="approved").where(Skp.id == skp.id).execute()
    as_employee(client, cast.kabid)
    assert client.get(url(skp)).status_code == 403
    assert client.get("/waktu-layanan/skp/999999/usulan-indikator").status_code == 404


def test_a_plan_holder_who_heads_no_unit_gets_no_proposals(client, cast):
    skp = draft_plan_of(cast.petugas)
    as_employee(client, cast.petugas)
    page = client.get(url(skp)).get_data(as_text=True)
    assert "tidak memimpin unit" in page


def test_the_head_of_a_puskesmas_gets_the_complaint_service_level(client, app):
    kapus = holder("Kepala UPTD Puskesmas Sukamaju")
    skp = draft_plan_of(kapus)
    as_employee(client, kapus)
    page = client.get(url(skp)).get_data(as_text=True)
    assert "Persentase pengaduan" in page and "dijawab ≤ 5 hari kerja" in page
    assert "dijawab tepat waktu dari" in page
