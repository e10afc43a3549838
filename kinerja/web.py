"""Request-wide behaviour: CSRF, security headers, what every template sees."""
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import abort, current_app, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect
from werkzeug.datastructures import ImmutableMultiDict

from . import memo
from .rules import skp as skp_rules
from .stores.home.team import has_team
from .stores.talent.credits import FUNCTIONAL as FUNCTIONAL_KIND

csrf = CSRFProtect()

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'self'; "
       "object-src 'none'; frame-ancestors 'none'")


def security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.endpoint != "static" and not request.path.startswith("/survei"):
        # Pages behind login hold personal data: never cache them in shared caches.
        headers.setdefault("Cache-Control", "no-store")
    return response


def safe_next(target: str | None, default: str) -> str:
    """Only same-site relative paths; anything else (//evil, https://…) falls back."""
    # A CR/LF would end up in the Location header; no real path of ours has whitespace.
    if not target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return default
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. "//[" is an unclosed IPv6 address
        return default
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


def template_globals():
    return {
        "regency_name": current_app.config["REGENCY_NAME"],
        "menu": _menu(),
        "nav": navigation(),
    }


EVERYONE = ("pegawai", "admin_opd", "admin")
ADMINS = ("admin_opd", "admin")

# Who an item is for beyond the role (see `_applies`):
OWN = "own"            # about the person behind the account: a system account has none
TEAM = "team"          # for whoever appraises someone: subordinates, plans or evaluations
                       # naming them; for the admin BKPSDM also the Kepala Daerah's records
OVERVIEW = "overview"  # an overview of people: an admin's scope, or a supervisor's team
FUNCTIONAL = "functional"  # holds a functional position, appraises someone, or an admin


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: str
    roles: tuple
    needs: str | None = None


# The menu grouped by what a person does: (group label, items). A group of one item whose
# label is the group's shows as a plain link. An item appears once its blueprint registers
# the endpoint (mail.* arrives with the email feature) and only for those it applies to.
NAV = [
    ("Kinerja Saya", [
        NavItem("skp.mine", "SKP Saya", EVERYONE, OWN),
        NavItem("evaluation.mine", "Kinerja Saya", EVERYONE, OWN),
        NavItem("evaluation.peer_index", "Umpan Balik 360°", EVERYONE, OWN),
        NavItem("training.index", "Pengembangan Saya", EVERYONE, OWN),
        NavItem("attendance.index", "Presensi Saya", EVERYONE, OWN),
        NavItem("record.mine", "Rekam Saya", EVERYONE, OWN),
    ]),
    ("Tim", [
        NavItem("skp.inbox", "Persetujuan SKP", EVERYONE, TEAM),
        NavItem("evaluation.team", "Tim Saya", EVERYONE, TEAM),
        NavItem("follow_up.index", "Tindak Lanjut", EVERYONE, OVERVIEW),
        NavItem("training.team", "JP Tim", ("pegawai",), TEAM),
        NavItem("attendance.team", "Presensi Tim", ("pegawai",), TEAM),
        NavItem("discipline.index", "Disiplin", EVERYONE, OVERVIEW),
        NavItem("skp.team", "Rekap SKP", EVERYONE, OVERVIEW),
        NavItem("skp.cascade", "Kaskade", EVERYONE, OVERVIEW),
    ]),
    ("Pengembangan", [
        NavItem("practices.index", "Praktik Baik", EVERYONE),
        NavItem("practices.mine", "Praktik Saya", EVERYONE),
        NavItem("decisions.index", "Penghargaan & Sanksi", EVERYONE, OVERVIEW),
        NavItem("talent.credits_index", "Angka Kredit", EVERYONE, FUNCTIONAL),
        # Heads of OPD reach their OPD's map from the Beranda overview: asking here whether
        # someone heads an OPD would cost every page queries.
        NavItem("talent.index", "Peta Talenta", ("admin",)),
        NavItem("training.recap", "Rekap 20 JP", ADMINS),
        NavItem("training.import_page", "Impor Pelatihan", ADMINS),
    ]),
    ("Organisasi", [
        NavItem("org.employees", "Pegawai", ADMINS),
        NavItem("org.units", "Unit & Jabatan", ADMINS),
        NavItem("skp.goals", "Sasaran Organisasi", ADMINS),
        NavItem("evaluation.curve", "Kurva Predikat", ADMINS),
        NavItem("skp.years", "Tahun Kinerja", ("admin",)),
    ]),
    # Heads of OPD reach the attendance recap and the turnaround figures of their OPD from the
    # Beranda overview, as the talent map.
    ("Presensi", [
        NavItem("attendance.units", "Rekap Presensi", ADMINS),
        NavItem("attendance.import_page", "Impor Presensi", ADMINS),
        NavItem("attendance.leave_page", "Izin, Sakit, Cuti, Dinas", ADMINS),
        NavItem("attendance.machine_page", "ID Mesin Presensi", ADMINS),
        NavItem("attendance.calendar_page", "Kalender Kerja", ADMINS),
    ]),
    ("Layanan Publik", [
        NavItem("survey_admin.index", "SKM", ADMINS),
        NavItem("complaints_admin.inbox", "Pengaduan", ADMINS),
        NavItem("turnaround.index", "Waktu Layanan", ADMINS),
    ]),
    ("Administrasi", [
        NavItem("imports.index", "Impor SIASN", ADMINS),
        NavItem("accounts.index", "Akun", ADMINS),
        NavItem("audit.index", "Jejak Audit", ADMINS),
        NavItem("mail.outbox", "Kotak keluar email", ("admin",)),
    ]),
    ("Panduan", [NavItem("help.index", "Panduan", EVERYONE)]),
]
# The account's own pages, in its dropdown beside "Ubah kata sandi": each person's email
# address and choice of notices (the mail blueprint names it `mail.settings`; `preferences`
# is the name it was planned under: whichever is registered shows).
ACCOUNT_NAV = [
    NavItem("mail.settings", "Email & notifikasi", EVERYONE),
    NavItem("mail.preferences", "Email & notifikasi", EVERYONE),
]


@dataclass
class MenuLink:
    endpoint: str
    label: str
    url: str
    current: str | None = None  # aria-current: "page" (this page), "true" (a page under it)


@dataclass
class MenuGroup:
    label: str
    links: list = field(default_factory=list)

    @property
    def single(self) -> bool:
        """One link named as the group: shown as that link, not as a dropdown."""
        return len(self.links) == 1 and self.links[0].label == self.label

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def _applies(item: NavItem, user, team) -> bool:
    if user.role not in item.roles or item.endpoint not in current_app.view_functions:
        return False
    actor = skp_rules.Actor.of(user)
    if item.needs == OWN:
        return user.employee_id is not None
    if item.needs == TEAM:
        return skp_rules.records_for_kepala_daerah(actor) or team()
    if item.needs == OVERVIEW:
        return skp_rules.is_admin(actor) or team()
    if item.needs == FUNCTIONAL:
        position = user.employee.position if user.employee_id and user.employee.position_id else None
        return skp_rules.is_admin(actor) or team() or (
            position is not None and position.kind == FUNCTIONAL_KIND)
    return True


def _current(url: str, best: str | None) -> str | None:
    """aria-current for a link: "page" when it is this page; else "true" for the link whose
    address holds this page's (the longest, e.g. /kinerja/tim for /kinerja/tim/penilaian)."""
    if request.path == url:
        return "page"
    return "true" if url == best else None


@dataclass
class Menu:
    """The current user's menu: the groups, and the links of the account's own dropdown."""
    groups: list = field(default_factory=list)
    account: list = field(default_factory=list)


def menu() -> Menu:
    """The current user's menu, empty groups left out. Costs at most one query (has_team),
    and only for an employee the menu must ask about."""
    if not current_user.is_authenticated:
        return Menu()
    user = current_user._get_current_object()
    answer = {}

    def team() -> bool:
        if "team" not in answer:
            employee = user.employee if user.employee_id else None
            answer["team"] = bool(employee) and has_team(employee.id, employee.position_id)
        return answer["team"]

    def links(items) -> list[MenuLink]:
        return [MenuLink(item.endpoint, item.label, url_for(item.endpoint))
                for item in items if _applies(item, user, team)]

    result = Menu(account=links(ACCOUNT_NAV)[:1])
    for label, items in NAV:
        found = links(items)
        if found:
            result.groups.append(MenuGroup(label, found))
    every = [link for group in result.groups for link in group.links] + result.account
    under = [link.url for link in every
             if request.path.startswith(link.url.rstrip("/") + "/") and request.path != link.url]
    exact = any(link.url == request.path for link in every)
    best = max(under, key=len) if under and not exact else None
    for link in every:
        link.current = _current(link.url, best)
    return result


def navigation() -> list[tuple[str, str]]:
    """(endpoint, label) pairs of the current user's menu, in order."""
    return [(link.endpoint, link.label) for group in _menu().groups for link in group.links]


def _menu() -> Menu:
    """The menu, built once per request (every template rendered asks for it)."""
    remembered = memo.remembered("navigation.menu")
    if "menu" not in remembered:
        remembered["menu"] = menu()
    return remembered["menu"]


def drop_nul():
    """PostgreSQL cannot hold or even compare a string with a NUL in it, and no one types
    one: a path with a NUL names no page (404), and NULs are dropped from the query string
    before any page reads it, so every search and filter, the ones added later too, is safe
    without a check of its own. Form fields refuse every control character next to the field
    (forms/__init__.py); a NUL never gets that far on its own."""
    if "\x00" in request.path:
        abort(404)
    pairs = list(request.args.items(multi=True))
    if any("\x00" in key or "\x00" in value for key, value in pairs):
        request.args = ImmutableMultiDict([(key.replace("\x00", ""), value.replace("\x00", ""))
                                           for key, value in pairs])


def init_app(app) -> None:
    csrf.init_app(app)
    app.before_request(drop_nul)
    app.after_request(security_headers)
    app.context_processor(template_globals)
