"""Pages of service turnaround with every denial and odd input."""
import pytest

from kinerja.models import ServiceStandard

from ..support import HX
from ..support.evaluation import as_employee, as_user


def unit_url(cast, tail=""):
    return f"/waktu-layanan/unit/{cast.counter.id}{tail}"


def test_bkpsdm_sees_the_counter_and_its_figures(client, cast, accounts):
    as_user(client, accounts["admin"])
    index = client.get("/waktu-layanan/").get_data(as_text=True)
    assert "Bidang Pelayanan Pendaftaran Penduduk" in index
    response = client.get(unit_url(cast))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Akta Kelahiran" in page and "Per petugas" in page
    assert cast.petugas.full_name in page and "Impor log layanan" in page
    assert "HX-Request" in response.headers["Vary"]


def test_admin_opd_of_the_opd_manages_it(client, cast):
    as_user(client, cast.admin_dukcapil)
    assert client.get(unit_url(cast)).status_code == 200
    assert client.get(unit_url(cast, "/impor")).status_code == 200


def test_head_of_opd_sees_but_does_not_manage(client, cast):
    as_employee(client, cast.head)
    page = client.get(unit_url(cast)).get_data(as_text=True)
    assert "Per jenis dokumen" in page and "Impor log layanan" not in page
    assert "Simpan standar" not in page
    assert client.get(unit_url(cast, "/impor")).status_code == 403
    response = client.post(unit_url(cast, "/standar"), data={"kind": "Paspor", "sop_days": "2"})
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["admin_dinkes", "nurse", "kabid", "petugas"])
def test_others_may_not_see_the_unit(client, cast, who):
    if who == "admin_dinkes":
        as_user(client, cast.admin_dinkes)
        expected = 404
    else:
        as_employee(client, getattr(cast, who))
        expected = 403
    assert client.get(unit_url(cast)).status_code == expected
    assert client.get(unit_url(cast, "/impor")).status_code == expected
    assert client.get(unit_url(cast, "/impor/templat.xlsx")).status_code == expected
    assert client.post(unit_url(cast, "/impor/pratinjau")).status_code == expected
    assert client.post(unit_url(cast, "/standar"),
                       data={"kind": "Paspor", "sop_days": "2"}).status_code == expected
    assert ServiceStandard.select().where(ServiceStandard.kind == "Paspor").count() == 0


def test_strangers_are_sent_to_log_in(client, cast):
    assert client.get(unit_url(cast)).status_code == 302
    assert client.get("/waktu-layanan/saya").status_code == 302


def test_a_unit_that_does_not_exist_is_404(client, accounts):
    as_user(client, accounts["admin"])
    assert client.get("/waktu-layanan/unit/999999").status_code == 404
    assert client.get("/waktu-layanan/unit/99999999999999999999").status_code == 404
    assert client.get("/waktu-layanan/pilih?unit=abc").status_code == 404


def test_a_pegawai_goes_to_their_own_figures(client, cast):
    as_employee(client, cast.petugas)
    response = client.get("/waktu-layanan/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/waktu-layanan/saya")
    page = client.get("/waktu-layanan/saya").get_data(as_text=True)
    assert "dokumen selesai" in page and "Kartu Keluarga" in page
    as_employee(client, cast.nurse)
    assert "Belum ada dokumen" in client.get("/waktu-layanan/saya").get_data(as_text=True)
    odd = client.get("/waktu-layanan/saya?tahun=abc")
    assert odd.status_code == 200


def test_system_accounts_have_no_own_figures(client, accounts):
    as_user(client, accounts["admin"])
    assert client.get("/waktu-layanan/saya").status_code == 403


def test_a_standard_is_saved_in_place_for_htmx(client, cast):
    as_user(client, cast.admin_dukcapil)
    response = client.post(unit_url(cast, "/standar"), data={"kind": "Paspor", "sop_days": "2"},
                           headers=HX)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith('<section id="standards"')
    assert "Paspor" in page and "Standar Paspor disimpan" in page
    plain = client.post(unit_url(cast, "/standar"), data={"kind": "Izin Usaha", "sop_days": "5"})
    assert plain.status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"kind": "", "sop_days": "2"}, "Tuliskan jenis dokumen"),
    ({"kind": "Paspor", "sop_days": "dua"}, "Harus berupa bilangan bulat"),
    ({"kind": "Paspor", "sop_days": "-1"}, "antara 0 dan 365"),
    ({"kind": "x" * 101, "sop_days": "1"}, "paling panjang 100"),
    ({"kind": "Pas\x00por", "sop_days": "1"}, ""),
])
def test_odd_standards_are_refused_and_kept(client, cast, data, message):
    as_user(client, cast.admin_dukcapil)
    for headers in ({}, HX):
        response = client.post(unit_url(cast, "/standar"), data=data, headers=headers)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page
    assert ServiceStandard.select().where(ServiceStandard.kind.startswith("Pas")).count() == 0
