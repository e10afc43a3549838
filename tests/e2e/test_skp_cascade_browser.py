"""The cascade in a real browser: a head of OPD opens the RHK below a goal level by level and
asks for the next page of a long list, all in place, without the page navigating."""
from playwright.sync_api import expect

from kinerja.models import Rhk, Skp, Unit

from ..support import database
from ..support.skp import YEAR, holder
from ..support.browser import browser_login, settled

MARKER = "window.__cascadeMarker"


def _rhk(text):
    return (Rhk.select(Rhk.id).join(Skp)
            .where((Rhk.text == text) & (Skp.year == YEAR) & (Skp.status == "approved")).first().id)


def test_head_of_opd_opens_the_cascade_in_place(page, live_server, accounts_live):
    with database(live_server.app):
        dlh = Unit.get(Unit.code == "DLH").id
        head = _rhk("Terlaksananya program pengurangan sampah plastik kabupaten")
        kabid = _rhk("Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")
        other = _rhk("Terlaksananya kampanye pengurangan kantong plastik sekali pakai")
        # A long list below one Kepala Bidang RHK: more than one page of it.
        plan = Skp.get((Skp.employee == holder("pengawas-lingk", 1).id) & (Skp.year == YEAR)).id
        Rhk.insert_many([{"skp": plan, "kind": "utama", "text": f"Terlaksananya tugas uji {n:02d}",
                          "parent": other, "order": 10 + n} for n in range(58)]).execute()

    browser_login(page, live_server, accounts_live["admin"])
    page.goto(f"{live_server.url}/skp/kaskade?unit={dlh}")
    url = page.url
    page.evaluate(f"{MARKER} = 'tetap'")
    unattended = page.locator("li.cascade-goal.unattended")
    expect(unattended).to_contain_text("Meningkatnya ketaatan usaha terhadap izin lingkungan")
    expect(unattended.locator(".badge.bad")).to_have_text("Belum ada RHK yang mengintervensi sasaran ini")
    expect(page.get_by_text("Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")).to_have_count(0)

    # Opening the head's RHK brings the Kepala Bidang's RHK below it; opening one of those, the staff's.
    page.locator(f"#cascade-rhk-{head} > details > summary").click()
    children = page.locator(f"#cascade-children-rhk-{head}")
    expect(children).to_contain_text("Tersedianya bank sampah dan TPS3R aktif di setiap kecamatan")
    expect(children.locator(f"#cascade-rhk-{kabid}")).to_contain_text("2 RHK langsung")
    settled(page)  # opened before it settles, the new level would ask for nothing
    page.locator(f"#cascade-rhk-{kabid} > details > summary").click()
    expect(page.locator(f"#cascade-children-rhk-{kabid}")).to_contain_text(
        "Tersusunnya data timbulan sampah plastik per kecamatan")
    expect(page.locator(f"#cascade-children-rhk-{kabid} > li.cascade-rhk")).to_have_count(2)
    settled(page)

    # A list longer than a page: the next page joins it in place.
    page.locator(f"#cascade-rhk-{other} > details > summary").click()
    long_list = page.locator(f"#cascade-children-rhk-{other} > li.cascade-rhk")
    expect(long_list).to_have_count(50)
    settled(page)  # "Tampilkan berikutnya" came with the list; clicked earlier it leaves the page
    page.locator(f"#cascade-children-rhk-{other}").get_by_role("link", name="Tampilkan berikutnya").click()
    expect(long_list).to_have_count(60)
    expect(page.locator(f"#cascade-children-rhk-{other}").get_by_text("Tampilkan berikutnya")).to_have_count(0)
    settled(page)

    # Closing and opening again keeps what was loaded, without asking the server again.
    asked = []
    page.on("request", lambda request: asked.append(request.url) if "/skp/kaskade" in request.url else None)
    page.locator(f"#cascade-rhk-{head} > details > summary").click()
    expect(children).to_be_hidden()
    page.locator(f"#cascade-rhk-{head} > details > summary").click()
    expect(page.locator(f"#cascade-children-rhk-{kabid} > li.cascade-rhk")).to_have_count(2)
    expect(page.locator(f"#cascade-children-rhk-{kabid}")).to_be_visible()
    assert asked == []
    assert page.url == url
    assert page.evaluate(MARKER) == "tetap"
