"""The cascade view a level at a time: the expansion of one node in place (htmx) or on its own
page (without JavaScript), counts from SQL that follow the plan in force, long lists a page
at a time with a fixed number of queries, and every denial."""
import re

from kinerja.models import OrgGoal, Rhk, Skp, Unit

from ..support import counted_get, counting_queries
from ..support import HX
from ..support.skp import YEAR, holder

COUNTS = re.compile(r'<small class="cascade-counts muted">([\d.]+) RHK langsung · ([\d.]+) RHK di bawahnya · '
                    r'([\d.]+) pegawai</small>')


def _rhk_id(q, text, key=None, index=0):
    """The Utama RHK with this text in the plan in force of a demo holder (or any plan)."""
    query = Rhk.select(Rhk.id).join(Skp).where((Rhk.text == text) & (Skp.year == YEAR)
                                                & (Skp.status != "superseded"))
    if key:
        query = query.where(Skp.employee == holder(key, index).id)
    return q(lambda: query.order_by(Skp.revision).first().id)


def _units(q):
    return q(lambda: {code: Unit.get(Unit.code == code).id for code in ("DLH", "DINKES", "PKM-CIBENING")})


def _items(html):
    return re.findall(r'<li class="cascade-rhk" id="cascade-rhk-(\d+)">', html)


def _number(text):
    return int(text.replace(".", ""))


def test_a_node_opens_in_place_and_as_its_own_page(client, as_role, q):
    as_role("admin")
    dlh = _units(q)["DLH"]
    head = _rhk_id(q, "Terlaksananya program pengurangan sampah plastik kabupaten")
    page = client.get(f"/skp/kaskade?unit={dlh}").get_data(as_text=True)
    expand_url = f"/skp/kaskade?rhk={head}&amp;unit={dlh}&amp;tahun={YEAR}"
    assert f'hx-get="{expand_url}" hx-trigger="toggle once" hx-target="#cascade-children-rhk-{head}"' in page
    assert f'<a href="{expand_url}">' in page  # the same list without JavaScript

    # htmx: just the list of children, to replace the placeholder inside the <details>.
    response = client.get(f"/skp/kaskade?rhk={head}&unit={dlh}&tahun={YEAR}", headers=HX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert fragment.lstrip().startswith(f'<ul id="cascade-children-rhk-{head}" class="cascade-children">')
    assert "<html" not in fragment and "Semua sasaran" not in fragment
    assert "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan" in fragment
    assert "Terlaksananya kampanye pengurangan kantong plastik sekali pakai" in fragment
    assert "Kepala Bidang Pengelolaan Sampah dan Limbah B3" in fragment and "Disetujui" in fragment

    # Without htmx: the whole page, focused on that RHK, with the way back up.
    full = client.get(f"/skp/kaskade?rhk={head}&unit={dlh}&tahun={YEAR}").get_data(as_text=True)
    goal = q(lambda: OrgGoal.get((OrgGoal.goal == "Menurunnya timbulan sampah plastik di kabupaten")
                                 & (OrgGoal.year == YEAR)).id)
    assert "<html" in full and 'aria-label="breadcrumb"' in full
    assert f'href="/skp/kaskade?sasaran={goal}&amp;unit={dlh}&amp;tahun={YEAR}"' in full
    assert '<h2 class="cascade-focus">Terlaksananya program pengurangan sampah plastik kabupaten</h2>' in full
    assert f'<ul id="cascade-children-rhk-{head}"' in full
    kabid = _rhk_id(q, "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")
    assert f'<a href="/skp/kaskade?rhk={kabid}&amp;unit={dlh}&amp;tahun={YEAR}">' in full
    # ...and the goal's own page lists the head's RHK.
    goal_page = client.get(f"/skp/kaskade?sasaran={goal}&unit={dlh}&tahun={YEAR}").get_data(as_text=True)
    assert '<h2 class="cascade-focus">Menurunnya timbulan sampah plastik di kabupaten</h2>' in goal_page
    assert _items(goal_page) == [str(head)]


def _below(client, unit, rhk_id):
    """Every RHK below one, opening each level as the browser does: [(id, "owner, position")]."""
    found, waiting = [], [rhk_id]
    while waiting:
        html = client.get(f"/skp/kaskade?rhk={waiting.pop()}&unit={unit}", headers=HX).get_data(as_text=True)
        for item in re.finditer(r'<li class="cascade-rhk" id="cascade-rhk-(\d+)">(.*?)</li>', html, re.S):
            found.append((item.group(1), re.search(r'<small class="muted">— (.*?)</small>', item.group(2)).group(1)))
            if "<details" in item.group(2):
                waiting.append(item.group(1))
    return found


def test_counts_come_from_the_plan_in_force_at_every_depth(client, as_role, q):
    as_role("admin")
    dlh = _units(q)["DLH"]
    head = _rhk_id(q, "Terlaksananya program pengurangan sampah plastik kabupaten")
    kabid = _rhk_id(q, "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")
    page = client.get(f"/skp/kaskade?unit={dlh}").get_data(as_text=True)
    direct, below, people = (_number(n) for n in COUNTS.search(page[page.index(f'id="cascade-rhk-{head}"'):]).groups())
    level2 = client.get(f"/skp/kaskade?rhk={head}&unit={dlh}", headers=HX).get_data(as_text=True)
    assert direct == len(_items(level2)) == 2
    everything = _below(client, dlh, head)
    assert below == len(everything) == 6
    assert people == len({owner for _, owner in everything}) == 5
    # The employee whose approved plan has a revision in draft counts once, with the approved one.
    in_force = _rhk_id(q, "Tersusunnya data timbulan sampah plastik per kecamatan", "pengendali-dampak", 1)
    draft = q(lambda: Rhk.select(Rhk.id).join(Skp).where(
        (Skp.employee == holder("pengendali-dampak", 1).id) & (Skp.status == "draft")).get().id)
    level3 = client.get(f"/skp/kaskade?rhk={kabid}&unit={dlh}", headers=HX).get_data(as_text=True)
    assert str(in_force) in _items(level3) and str(draft) not in _items(level3)
    assert len(_items(level3)) == 2
    assert COUNTS.search(level2[level2.index(f'id="cascade-rhk-{kabid}"'):]).groups() == ("2", "2", "2")
    # A goal counts every RHK and every person below it, the head of the OPD included.
    goal = page[page.index("Menurunnya timbulan sampah plastik di kabupaten"):]
    assert "1 RHK yang mengintervensi · 7 RHK di bawahnya · 6 pegawai" in goal[:400]


def test_long_lists_come_a_page_at_a_time_with_the_same_queries(client, as_role, q):
    as_role("admin")
    dlh = _units(q)["DLH"]
    kabid = _rhk_id(q, "Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")
    other = _rhk_id(q, "Terlaksananya kampanye pengurangan kantong plastik sekali pakai")
    small_queries, _ = counted_get(client, f"/skp/kaskade?unit={dlh}")
    with counting_queries() as statements:
        client.get(f"/skp/kaskade?rhk={other}&unit={dlh}", headers=HX)
    small_expansion = len(statements)
    plan = q(lambda: Skp.get((Skp.employee == holder("pengawas-lingk", 1).id) & (Skp.year == YEAR)).id)
    q(lambda: Rhk.insert_many([{"skp": plan, "kind": "utama", "text": f"Terlaksananya tugas uji {n:02d}",
                                "parent": kabid, "order": 10 + n} for n in range(60)]).execute())

    with counting_queries() as statements:
        response = client.get(f"/skp/kaskade?rhk={kabid}&unit={dlh}&tahun={YEAR}", headers=HX)
    first = response.get_data(as_text=True)
    assert len(statements) == small_expansion
    assert len(_items(first)) == 50
    more = re.search(r'<li class="cascade-more"><a href="([^"]+)" hx-get="\1" '
                     rf'hx-select="#cascade-children-rhk-{kabid} > li" hx-target="closest li" hx-swap="outerHTML">'
                     r'Tampilkan berikutnya</a>', first)
    assert more and "page=2" in more.group(1) and f"rhk={kabid}" in more.group(1), first[-800:]
    assert "(50 dari 62 ditampilkan)" in first
    with counting_queries() as statements:
        second = client.get(more.group(1).replace("&amp;", "&"), headers=HX).get_data(as_text=True)
    assert len(statements) == small_expansion
    assert len(_items(second)) == 12 and not set(_items(first)) & set(_items(second))
    assert "Tampilkan berikutnya" not in second
    # The page of the whole cascade still shows the counts, with the same statements.
    large_queries, page = counted_get(client, f"/skp/kaskade?unit={dlh}")
    assert large_queries == small_queries
    assert COUNTS.search(page[page.index(f'id="cascade-rhk-{_rhk_id(q, "Terlaksananya program pengurangan sampah plastik kabupaten")}"'):]).group(1) == "2"
    # Without JavaScript the next page is a page of its own, with the way back; a page past
    # the end (a bookmark on a list that shrank) shows the last one.
    full = client.get(more.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert len(_items(full)) == 12 and 'rel="prev"' in full
    late = client.get(f"/skp/kaskade?rhk={kabid}&unit={dlh}&page=9").get_data(as_text=True)
    assert _items(late) == _items(full) and "page=1" in late[late.index('rel="prev"') - 200:]


def test_unconnected_rhk_and_plans_without_rhk_are_listed(client, as_role, q):
    as_role("admin")
    dlh = _units(q)["DLH"]
    queries_before, page = counted_get(client, f"/skp/kaskade?unit={dlh}")
    assert "belum tersambung" not in page and "SKP tanpa RHK Utama" not in page
    loose = _rhk_id(q, "Terlaksananya pengawasan toko ritel terhadap larangan kantong plastik", "pengawas-lingk", 1)
    q(lambda: Rhk.update(parent=None).where(Rhk.id == loose).execute())
    without = holder("pengawas-lingk", 0)
    q(lambda: Rhk.update(kind="tambahan").where(Rhk.skp.in_(
        Skp.select(Skp.id).where((Skp.employee == without.id) & (Skp.year == YEAR)))).execute())
    queries_after, page = counted_get(client, f"/skp/kaskade?unit={dlh}")
    assert queries_after == queries_before
    section = page[page.index("RHK Utama yang belum tersambung ke pohon ini (1)"):]
    assert _items(section)[0] == str(loose)
    assert "SKP tanpa RHK Utama (1)" in page
    plans_url = f"/skp/kaskade?bagian=tanpa-rhk&amp;unit={dlh}&amp;tahun={YEAR}"
    assert f'<details hx-get="{plans_url}" hx-trigger="toggle once" hx-target="#cascade-plans"' in page
    fragment = client.get(plans_url.replace("&amp;", "&"), headers=HX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<ul id="cascade-plans"') and without.name in fragment
    assert q(lambda: holder("pengawas-lingk", 1).name) not in fragment
    lists = client.get(f"/skp/kaskade?bagian=lepas&unit={dlh}").get_data(as_text=True)
    assert "<html" in lists and _items(lists) == [str(loose)]


def test_a_node_outside_the_viewers_cascade_is_not_found(client, as_role, q):
    units = _units(q)
    dlh_head = _rhk_id(q, "Terlaksananya program pengurangan sampah plastik kabupaten")
    dinkes_head = _rhk_id(q, "Meningkatnya cakupan pelayanan kesehatan dasar di puskesmas")
    own_kapus = _rhk_id(q, "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Sukamaju sesuai standar")
    cibening = _rhk_id(q, "Terselenggaranya pelayanan kesehatan dasar UPTD Puskesmas Cibening sesuai standar")
    dlh_goal = q(lambda: OrgGoal.get((OrgGoal.unit == units["DLH"]) & (OrgGoal.year == YEAR)).id)

    as_role("admin_opd")  # Dinas Kesehatan
    assert client.get(f"/skp/kaskade?rhk={dinkes_head}&unit={units['DINKES']}", headers=HX).status_code == 200
    for url in (f"/skp/kaskade?rhk={dlh_head}&unit={units['DLH']}", f"/skp/kaskade?rhk={dlh_head}",
                f"/skp/kaskade?sasaran={dlh_goal}&unit={units['DLH']}"):
        assert client.get(url).status_code == 404, url
        assert client.get(url, headers=HX).status_code == 404, url

    as_role("penilai")  # Kepala UPTD Puskesmas Sukamaju: their own unit only
    assert client.get(f"/skp/kaskade?rhk={own_kapus}", headers=HX).status_code == 200
    for rhk in (dlh_head, cibening):
        assert client.get(f"/skp/kaskade?rhk={rhk}", headers=HX).status_code == 404
        assert client.get(f"/skp/kaskade?rhk={rhk}&unit={units['PKM-CIBENING']}").status_code == 404

    as_role("pegawai")  # no subordinates: no cascade at all
    assert client.get(f"/skp/kaskade?rhk={own_kapus}").status_code == 404
    assert client.get("/skp/kaskade?bagian=lepas", headers=HX).status_code == 404

    as_role("admin")
    dlh = units["DLH"]
    superseded = q(lambda: Rhk.select(Rhk.id).join(Skp).where(
        (Skp.employee == holder("kabid-sampah").id) & (Skp.status == "superseded") & (Rhk.kind == "utama")).first().id)
    draft = q(lambda: Rhk.select(Rhk.id).join(Skp).where(
        (Skp.employee == holder("pengendali-dampak", 1).id) & (Skp.status == "draft")).get().id)
    extra = q(lambda: Rhk.select(Rhk.id).join(Skp).where(
        (Rhk.kind == "tambahan") & (Skp.year == YEAR) & (Skp.status == "approved")).first().id)
    last_year_goal = q(lambda: OrgGoal.get((OrgGoal.unit == dlh) & (OrgGoal.year == YEAR - 1)).id)
    for url in (f"/skp/kaskade?rhk={superseded}&unit={dlh}", f"/skp/kaskade?rhk={draft}&unit={dlh}",
                f"/skp/kaskade?rhk={extra}", f"/skp/kaskade?sasaran={last_year_goal}&unit={dlh}",
                f"/skp/kaskade?sasaran={dlh_goal}&unit={units['DINKES']}",
                "/skp/kaskade?rhk=abc", "/skp/kaskade?rhk=0", "/skp/kaskade?rhk=99999999999999999999999",
                "/skp/kaskade?sasaran=-5", "/skp/kaskade?bagian=zzz", "/skp/kaskade?rhk=999999"):
        assert client.get(url).status_code == 404, url
    for url in (f"/skp/kaskade?rhk={dlh_head}&unit={dlh}&page=abc", f"/skp/kaskade?rhk={dlh_head}&unit={dlh}&page=-3",
                f"/skp/kaskade?rhk={dlh_head}&unit={dlh}&page=99999999999999999999",
                f"/skp/kaskade?bagian=tanpa-rhk&unit={dlh}&page=7", f"/skp/kaskade?unit=x&tahun=1900&rhk={dlh_head}"):
        assert client.get(url).status_code < 500, url

    client.post("/keluar")
    response = client.get(f"/skp/kaskade?rhk={dlh_head}", headers=HX)
    assert response.status_code == 401 and "/masuk" in response.headers["HX-Redirect"]
    assert client.get(f"/skp/kaskade?rhk={dlh_head}").status_code == 302
