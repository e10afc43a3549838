"""The public page "Anda menyampaikan, kami menindaklanjuti": followed-up SKM suggestions,
short and anonymised, for anyone without a login."""
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.models import ServiceUnit, SuggestionFollowUp, SurveyResponse
from kinerja.rules import turnaround as rules


def test_anonymised_hides_numbers_and_addresses_and_stays_short():
    text = rules.anonymised("Hubungi saya 0812-3456-7890 atau warga@contoh.id, NIK 3201010101010001")
    assert "0812" not in text and "warga@" not in text and "3201" not in text
    assert "[angka]" in text and "[surel]" in text
    assert rules.anonymised("antre 3 jam di loket 2") == "antre 3 jam di loket 2"
    long = rules.anonymised("kata " * 100, 50)
    assert len(long) <= 52 and long.endswith("…")


@given(st.text(max_size=500))
def test_anonymised_never_grows_past_its_limit(text):
    assert len(rules.anonymised(text, 80)) <= 82


def test_the_page_lists_followed_up_suggestions_without_a_login(client, app):
    su = ServiceUnit.get(ServiceUnit.code == "dukcapil")
    response = client.get("/survei/dukcapil/tindak-lanjut")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Anda menyampaikan, kami menindaklanjuti" in page
    done = (SuggestionFollowUp.select().join(SurveyResponse)
            .where((SurveyResponse.service_unit == su.id) & (SuggestionFollowUp.status == "selesai"))
            .first())
    assert done is not None and rules.anonymised(done.action, 240) in page
    assert "/survei/dukcapil/tindak-lanjut" in client.get("/survei/dukcapil/hasil").get_data(as_text=True)


def test_contact_details_a_citizen_typed_are_not_shown(client, app):
    su = ServiceUnit.get(ServiceUnit.code == "dukcapil")
    response = (SurveyResponse.select().where((SurveyResponse.service_unit == su.id)
                                              & (SurveyResponse.status == "valid")).first())
    SurveyResponse.update(suggestion="Loket lambat, telepon saya 081234567890 ya").where(
        SurveyResponse.id == response.id).execute()
    SuggestionFollowUp.delete().where(SuggestionFollowUp.response == response.id).execute()
    SuggestionFollowUp.create(response=response.id, status="selesai", action="Loket ketiga dibuka",
                              done_on=datetime.date(2026, 11, 20), element="u5")
    page = client.get("/survei/dukcapil/tindak-lanjut").get_data(as_text=True)
    assert "Loket lambat, telepon saya [angka] ya" in page and "081234567890" not in page
    assert "Loket ketiga dibuka" in page and "20 November 2026" in page and "U5" in page


@pytest.mark.parametrize("code", ["tidak-ada", "x" * 300, "%00", "dukcapil'--"])
def test_unknown_units_are_404(client, app, code):
    assert client.get(f"/survei/{code}/tindak-lanjut").status_code == 404


def test_answered_complaints_are_listed_too(client, app):
    page = client.get("/survei/pkm-sukamaju/tindak-lanjut").get_data(as_text=True)
    assert "Pengaduan yang sudah dijawab" in page and "Ruang tunggu panas" in page
