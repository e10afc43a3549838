"""The public questionnaire, fair counting, and the public results (no login)."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.stores.survey import stats as survey_stats
from kinerja.demo.survey import DEMO_KIOSK_TOKEN
from kinerja.models import ServiceUnit, Setting, SurveyPeriod, SurveyResponse, db
from kinerja.rules import ikm

from ..support import postgres
from ..support.app import TODAY, csrf_token, make_app
from ..support import database

CODE = "pkm-sukamaju"
FORM = f"/survei/{CODE}"
ALL_FOUR = {c: "4" for c in ikm.ELEMENT_CODES}


@pytest.fixture
def survey_app(tmp_path):
    """The demo with no minimum time to fill, so an immediate post counts as valid."""
    app = make_app(tmp_path, SURVEY_MIN_SECONDS=0)
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def citizen(survey_app):
    return survey_app.test_client()


def stamp_of(html: str) -> str:
    return re.search(r'name="stamp" type="hidden" value="([^"]+)"', html).group(1)


def open_form(client, path=FORM, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == 200
    return stamp_of(response.get_data(as_text=True))


def send(client, data, path=FORM, **kwargs):
    return client.post(path, data={"stamp": open_form(client, path, **kwargs), **data}, **kwargs)


def responses(app, **where):
    with database(app):
        query = SurveyResponse.select().order_by(SurveyResponse.id.desc())
        for key, value in where.items():
            query = query.where(getattr(SurveyResponse, key) == value)
        return list(query)


def newest(app):
    return responses(app)[0]


def count(app):
    with database(app):
        return SurveyResponse.select().count()


# --- the form ----------------------------------------------------------------------

def test_form_asks_the_nine_questions_without_login(citizen):
    response = citizen.get(FORM)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for element in ikm.ELEMENTS:
        assert element.question in html
        for value in ikm.ANSWER_VALUES:
            assert f'name="{element.code}" value="{value}"' in html
    assert "Dikelola dengan baik" in html and "Gratis" in html
    assert 'name="stamp"' in html and 'name="website"' in html
    assert "pico" not in html and "survey.css" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "style=" not in html


def test_valid_answer_is_stored_by_element_code_and_redirects(survey_app, citizen):
    before = count(survey_app)
    response = send(citizen, {**ALL_FOUR, "u3": "2", "age": "34", "sex": "P",
                              "education": "S1", "occupation": "Swasta",
                              "suggestion": "  Antrean agar lebih tertib.  "},
                    environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"{FORM}/terima-kasih")
    assert count(survey_app) == before + 1
    row = newest(survey_app)
    assert (row.u1, row.u3, row.u9) == (4, 2, 4)
    assert (row.age, row.sex, row.education, row.occupation) == (34, "P", "S1", "Swasta")
    assert row.suggestion == "Antrean agar lebih tertib."
    assert (row.source, row.status, row.flag_reason) == ("online", "valid", None)
    assert row.client_hash and "203.0.113.7" not in row.client_hash
    assert row.period.is_open and row.service_unit.code == CODE
    thanks = citizen.get(response.headers["Location"]).get_data(as_text=True)
    assert "Terima kasih" in thanks


def test_htmx_post_answers_with_the_thank_you_fragment(survey_app, citizen):
    response = send(citizen, ALL_FOUR, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="survey-thanks"' in html and "<html" not in html
    assert newest(survey_app).status == "valid"


def test_invalid_answers_get_a_message_next_to_the_question_and_are_kept(survey_app, citizen):
    before = count(survey_app)
    data = {"u1": "4", "u2": "7", "u4": "3", "age": "5", "sex": "X", "education": "SMK"}
    response = send(citizen, data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert count(survey_app) == before

    def question(code):
        return re.search(rf'<fieldset id="q-{code}".*?</fieldset>', html, re.S).group(0)
    assert "Mohon pilih salah satu jawaban" in question("u3")
    assert "Jawaban harus salah satu dari empat pilihan" in question("u2")
    assert "Mohon pilih" not in question("u1")
    assert 'name="u1" value="4" checked' in question("u1")
    assert 'name="u4" value="3" checked' in question("u4")
    assert "Umur harus antara 10 dan 110 tahun." in html
    assert "Pilih laki-laki atau perempuan." in html
    assert "Pilih pendidikan dari daftar." in html
    assert 'href="#q-u3"' in html  # the summary links to each question


def test_invalid_htmx_post_swaps_the_form_with_its_errors(citizen):
    response = send(citizen, {"u1": "4"}, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.lstrip().startswith("<form") and 'id="survey-form"' in html


def test_a_service_from_another_unit_is_refused(survey_app, citizen):
    with database(survey_app):
        foreign = ServiceUnit.get(ServiceUnit.code == "dukcapil").services.first().id
    response = send(citizen, {**ALL_FOUR, "service": str(foreign)})
    assert response.status_code == 422
    assert "Pilih jenis layanan dari daftar." in response.get_data(as_text=True)


def test_closed_survey_says_so_politely(survey_app, citizen):
    stamp = open_form(citizen)
    with database(survey_app):
        SurveyPeriod.update(is_open=False).execute()
    before = count(survey_app)
    page = citizen.get(FORM)
    assert page.status_code == 200
    assert "sedang tidak dibuka" in page.get_data(as_text=True)
    response = citizen.post(FORM, data={"stamp": stamp, **ALL_FOUR})
    assert "sedang tidak dibuka" in response.get_data(as_text=True)
    assert count(survey_app) == before


def test_inactive_unit_is_closed_and_unknown_unit_is_404(survey_app, citizen):
    with database(survey_app):
        ServiceUnit.update(active=False).where(ServiceUnit.code == CODE).execute()
    assert "sedang tidak dibuka" in citizen.get(FORM).get_data(as_text=True)
    assert citizen.get("/survei/tidak-ada").status_code == 404
    assert citizen.get("/survei/" + "x" * 300).status_code == 404


def test_double_tap_or_refresh_counts_once(survey_app, citizen):
    before = count(survey_app)
    data = {"stamp": open_form(citizen), **ALL_FOUR}
    first = citizen.post(FORM, data=data)
    second = citizen.post(FORM, data=data)
    third = citizen.post(FORM, data=data, headers={"HX-Request": "true"})
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert 'id="survey-thanks"' in third.get_data(as_text=True)
    assert count(survey_app) == before + 1


def test_missing_or_forged_stamp_sends_the_answers_back(survey_app, citizen):
    before = count(survey_app)
    for stamp in ("", "bukan-stempel", stamp_of(citizen.get("/survei/dukcapil").get_data(as_text=True))):
        response = citizen.post(FORM, data={"stamp": stamp, **ALL_FOUR})
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "Kirim sekali lagi" in html and 'name="u5" value="4" checked' in html
        assert stamp_of(html) != stamp
    assert count(survey_app) == before


# --- fair counting -------------------------------------------------------------------

def test_honeypot_is_stored_flagged_with_the_same_thank_you(survey_app, citizen):
    response = send(citizen, {**ALL_FOUR, "website": "http://spam.example"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/terima-kasih")
    row = newest(survey_app)
    assert row.status == "flagged" and "jebakan" in row.flag_reason


def test_too_fast_is_flagged(app):
    client = app.test_client()  # the default minimum time to fill (10 seconds)
    response = send(client, ALL_FOUR)
    assert response.status_code == 303
    row = newest(app)
    assert row.status == "flagged" and "terlalu cepat" in row.flag_reason
    assert row.fill_seconds < 10


def test_per_address_limit_flags_the_rest_but_not_other_addresses(tmp_path):
    app = make_app(tmp_path, SURVEY_MIN_SECONDS=0, SURVEY_MAX_PER_ADDRESS=2)
    client = app.test_client()
    same = {"REMOTE_ADDR": "198.51.100.4"}
    statuses = []
    for _ in range(3):
        assert send(client, ALL_FOUR, environ_base=same).status_code == 303
        statuses.append(newest(app).status)
    assert statuses == ["valid", "valid", "flagged"]
    assert "satu alamat" in newest(app).flag_reason
    send(client, ALL_FOUR, environ_base={"REMOTE_ADDR": "198.51.100.5"})
    assert newest(app).status == "valid"


def test_far_beyond_the_address_limit_nothing_more_is_stored(tmp_path):
    app = make_app(tmp_path, SURVEY_MIN_SECONDS=0, SURVEY_MAX_PER_ADDRESS=1,
                   SURVEY_HARD_MAX_PER_ADDRESS=2)
    client = app.test_client()
    codes = [send(client, ALL_FOUR).status_code for _ in range(3)]
    assert codes == [303, 303, 429]
    assert [r.status for r in responses(app, client_hash=newest(app).client_hash)] == \
        ["flagged", "valid"]


def test_unit_flood_limit_flags_responses(tmp_path):
    app = make_app(tmp_path, SURVEY_MIN_SECONDS=0, SURVEY_MAX_PER_UNIT=1)
    client = app.test_client()
    send(client, ALL_FOUR, environ_base={"REMOTE_ADDR": "192.0.2.1"})
    send(client, ALL_FOUR, environ_base={"REMOTE_ADDR": "192.0.2.2"})
    assert [r.status for r in responses(app)[:2]] == ["flagged", "valid"]
    assert "untuk unit ini" in newest(app).flag_reason


def test_kiosk_tablet_counts_as_kiosk_and_is_not_limited_per_address(tmp_path):
    app = make_app(tmp_path, SURVEY_MIN_SECONDS=0, SURVEY_MAX_PER_ADDRESS=1)
    tablet = app.test_client()
    setup = tablet.get(f"{FORM}?kiosk={DEMO_KIOSK_TOKEN}")
    assert setup.status_code == 303 and setup.headers["Location"].endswith(FORM)
    cookie = setup.headers["Set-Cookie"]
    assert "skm_kios=" in cookie and "HttpOnly" in cookie and f"Path={FORM}" in cookie
    assert DEMO_KIOSK_TOKEN not in cookie
    assert "Mode kios" in tablet.get(FORM).get_data(as_text=True)
    for _ in range(3):
        response = send(tablet, ALL_FOUR)
        assert response.status_code == 303
        row = newest(app)
        assert (row.source, row.status, row.client_hash) == ("kiosk", "valid", None)
    thanks = tablet.get(response.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' in thanks
    fragment = send(tablet, ALL_FOUR, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="load delay:8s"' in fragment


def test_wrong_kiosk_token_or_a_retired_one_is_no_kiosk(tmp_path):
    app = make_app(tmp_path, SURVEY_MIN_SECONDS=0)
    stranger = app.test_client()
    response = stranger.get(f"{FORM}?kiosk=tebakan")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert "Tautan kios tidak berlaku." in response.get_data(as_text=True)
    tablet = app.test_client()
    tablet.get(f"{FORM}?kiosk={DEMO_KIOSK_TOKEN}")
    with database(app):
        ServiceUnit.update(kiosk_token="token-baru").where(ServiceUnit.code == CODE).execute()
    send(tablet, ALL_FOUR)
    assert newest(app).source == "online"
    other = app.test_client()
    other.get(f"/survei/dukcapil?kiosk={DEMO_KIOSK_TOKEN}")  # the demo token of another unit
    send(other, ALL_FOUR, path="/survei/dukcapil")
    assert newest(app).source == "online"


def test_expired_session_gets_the_form_back_with_answers_and_a_fresh_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, SURVEY_MIN_SECONDS=0)
    phone = app.test_client()
    page = phone.get(FORM).get_data(as_text=True)
    stamp, token = stamp_of(page), csrf_token(page)
    phone.delete_cookie("session")  # the browser dropped the session cookie
    response = phone.post(FORM, data={"stamp": stamp, "csrf_token": token, **ALL_FOUR, "u2": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sesi Anda sudah berakhir" in html
    assert 'name="u2" value="1" checked' in html and 'name="u9" value="4" checked' in html
    assert stamp_of(html) == stamp
    before = count(app)
    again = phone.post(FORM, data={"stamp": stamp, "csrf_token": csrf_token(html), **ALL_FOUR})
    assert again.status_code == 303
    assert count(app) == before + 1


def test_the_quick_survey_commit_leaves_the_connection_as_configured(survey_app):
    from kinerja.models import SQLITE_PRAGMAS, utcnow
    from kinerja.stores.survey.intake import RECORDED, Stamp, _commit_without_fsync, limits_from, record
    with database(survey_app):
        # Inside: no wait for the disk, and (PostgreSQL) the write lock held.
        with _commit_without_fsync():
            if postgres.enabled():
                assert db.execute_sql("SHOW synchronous_commit").fetchone()[0] == "off"
                assert db.execute_sql(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted").fetchone()[0] == 1
            else:
                assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1   # NORMAL
        su = ServiceUnit.get(ServiceUnit.code == CODE)
        period = SurveyPeriod.get((SurveyPeriod.service_unit == su) & SurveyPeriod.is_open)
        outcome = record(su, period, {"u1": 3}, stamp=Stamp("uji-1", utcnow()), honeypot="",
                         address_hash="h", kiosk=False, limits=limits_from(survey_app.config))
        assert outcome == RECORDED
        if postgres.enabled():   # SET LOCAL ended with the transaction
            assert db.execute_sql("SHOW synchronous_commit").fetchone()[0] == "on"
        else:
            assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == SQLITE_PRAGMAS["synchronous"]


def test_csrf_is_still_required(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, SURVEY_MIN_SECONDS=0)
    client = app.test_client()
    stamp = stamp_of(client.get(FORM).get_data(as_text=True))
    before = count(app)
    assert client.post(FORM, data={"stamp": stamp, **ALL_FOUR}).status_code == 422
    assert count(app) == before
    assert client.post("/survei/tidak-ada", data=ALL_FOUR).status_code == 404
    assert client.post("/survei/" + "x" * 100, data=ALL_FOUR).status_code == 404
    with database(app):
        SurveyPeriod.update(is_open=False).execute()
    closed = client.post(FORM, data={"stamp": stamp, **ALL_FOUR})
    assert "sedang tidak dibuka" in closed.get_data(as_text=True)
    assert count(app) == before


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.dictionaries(
    st.sampled_from([*ikm.ELEMENT_CODES, "service", "age", "sex", "education", "occupation",
                     "suggestion", "stamp", "website", "csrf_token", "x"]),
    st.one_of(st.text(max_size=40), st.sampled_from(["1", "4", "0", "-1", "99999999999999999999999",
                                                     "1e9", "L", "S1", "\x00", "３"]))),
    htmx=st.booleans())
def test_no_form_input_gives_a_500(survey_app, data, htmx):
    client = survey_app.test_client()
    headers = {"HX-Request": "true"} if htmx else {}
    if data.get("stamp") == "1":
        data["stamp"] = open_form(client)
    response = client.post(FORM, data=data, headers=headers)
    assert response.status_code in (200, 303, 422)


# --- results ------------------------------------------------------------------------

def test_results_page_shows_what_the_rules_compute_from_the_rows(survey_app, citizen):
    html = citizen.get(f"{FORM}/hasil").get_data(as_text=True)
    with database(survey_app):
        period = SurveyPeriod.get((SurveyPeriod.is_open) & (SurveyPeriod.service_unit == ServiceUnit.get(
            ServiceUnit.code == CODE)))
        rows = SurveyResponse.select().where((SurveyResponse.period == period)
                                             & (SurveyResponse.status == "valid"))
        expected = ikm.tally([{c: getattr(r, c) for c in ikm.ELEMENT_CODES} for r in rows]).result()
        flagged = SurveyResponse.select().where((SurveyResponse.period == period)
                                                & (SurveyResponse.status != "valid")).count()
    ikm_text = str(expected.ikm).replace(".", ",")
    assert f"<strong>{ikm_text}</strong> — {expected.grade.letter} ({expected.grade.words})" in html
    assert "bobot 1/9" in html
    assert f"{expected.respondents} responden dari minimal 169 (populasi 300)" in html
    assert "belum representatif" in html
    for r in expected.elements:
        assert str(r.nrr_rounded).replace(".", ",") in html
        assert str(r.converted).replace(".", ",") in html
    assert ("Tidak dihitung" in html) == bool(flagged)
    assert "<svg" in html and "<rect" in html and "<script" not in html


def test_results_count_flagged_responses_apart(survey_app, citizen):
    send(citizen, {**ALL_FOUR, "website": "robot"})
    html = citizen.get(f"{FORM}/hasil").get_data(as_text=True)
    assert "1 ditandai mencurigakan" in html


def test_results_follow_the_weight_setting(survey_app, citizen):
    with database(survey_app):
        Setting.create(key="ikm_weight", value="0.111")
        su = ServiceUnit.get(ServiceUnit.code == CODE)
        expected = survey_stats.unit_history(su)[0].result
    html = citizen.get(f"{FORM}/hasil").get_data(as_text=True)
    assert expected.weight.label == "0,111"
    assert "bobot 0,111" in html and str(expected.ikm).replace(".", ",") in html


def test_past_period_and_odd_period_parameters(survey_app, citizen):
    with database(survey_app):
        su = ServiceUnit.get(ServiceUnit.code == CODE)
        past = SurveyPeriod.get((SurveyPeriod.service_unit == su) & (SurveyPeriod.year == 2024)
                                & (SurveyPeriod.number == 1))
    html = citizen.get(f"{FORM}/hasil?periode={past.id}").get_data(as_text=True)
    assert '<h2 id="period-title">Semester I 2024</h2>' in html
    assert "Perkembangan IKM" in html
    for odd in ("abc", "99999999999999999999999", "-1", ""):
        response = citizen.get(f"{FORM}/hasil?periode={odd}")
        assert response.status_code == 200
        assert "Semester II 2026" in response.get_data(as_text=True)


def test_public_pages_are_briefly_cacheable_and_set_no_cookie(citizen):
    for path in ("/survei", f"{FORM}/hasil", "/ikm"):
        response = citizen.get(path)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
        assert "Set-Cookie" not in response.headers
        again = citizen.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert "style=" not in response.get_data(as_text=True)


def test_regency_overview_lists_every_unit_with_the_pooled_index(survey_app, citizen):
    html = citizen.get("/ikm").get_data(as_text=True)
    with database(survey_app):
        data = survey_stats.overview(TODAY)
    assert f"<strong>{str(data.result.ikm).replace('.', ',')}</strong>" in html
    for name in ("Dinas Kesehatan", "UPTD Puskesmas Cibening", "Pelayanan Kecamatan Cibening",
                 "Layanan Adminduk Disdukcapil"):
        assert name in html


def test_overview_queries_do_not_grow_with_units(survey_app, citizen):
    from bench.common import count_queries
    first = count_queries(survey_app, citizen, "/ikm")
    with database(survey_app):
        template = ServiceUnit.get(ServiceUnit.code == CODE)
        for i in range(3):
            su = ServiceUnit.create(code=f"unit-{i}", name=f"Unit {i}", unit=template.unit_id)
            period = SurveyPeriod.create(service_unit=su, kind="semester", year=2026, number=2,
                                         starts="2026-07-01", ends="2026-12-31", is_open=True)
            SurveyResponse.create(service_unit=su, period=period, **dict.fromkeys(ikm.ELEMENT_CODES, 3))
    assert count_queries(survey_app, citizen, "/ikm") == first
    assert "Unit 2" in citizen.get("/ikm").get_data(as_text=True)


def test_index_lists_open_units_and_searches(citizen):
    html = citizen.get("/survei").get_data(as_text=True)
    assert "UPTD Puskesmas Sukamaju" in html and "Dinas Kesehatan" in html
    found = citizen.get("/survei?q=Kecamatan").get_data(as_text=True)
    assert "Pelayanan Kecamatan Cibening" in found and "UPTD Puskesmas Sukamaju" not in found
    assert "Tidak ada unit layanan" in citizen.get("/survei?q=zzz").get_data(as_text=True)


def test_a_pasted_word_line_break_is_kept_as_a_newline_and_other_controls_are_refused(survey_app, citizen):
    sent = send(citizen, {**ALL_FOUR, "suggestion": "Antrean lama.\x0bParkir sempit."})
    assert sent.status_code == 303
    assert newest(survey_app).suggestion == "Antrean lama.\nParkir sempit."
    before = count(survey_app)
    refused = send(citizen, {**ALL_FOUR, "suggestion": "Tombol\x1b[31m merah"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "karakter tak terlihat" in page and "merah" in page  # the message, and the typing kept
    assert count(survey_app) == before
