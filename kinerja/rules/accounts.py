"""Who may do what to which account, and what a system account may be called."""
import re

ROLE_CODES = ("pegawai", "admin_opd", "admin")
# Roles only the BKPSDM admin may grant or take away.
ADMIN_ROLES = ("admin_opd", "admin")
SYSTEM_ROLES = ("admin", "admin_opd")

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,63}$")


def username_problems(username: str) -> list[str]:
    """A system account name: lower-case letters, digits, dot, dash, underscore.

    It must start with a letter, so it can never look like a NIP (employees log in
    with their NIP; a system account named like one would shadow or impersonate it).
    """
    if not username:
        return ["Nama pengguna wajib diisi."]
    if not _USERNAME.match(username):
        return ["Nama pengguna 3–64 karakter: huruf kecil, angka, titik, tanda hubung atau "
                "garis bawah, diawali huruf."]
    return []


def may_manage(actor_role: str, target_role: str) -> bool:
    """Reset a password, deactivate or reactivate (scope is checked separately)."""
    if actor_role == "admin":
        return True
    return actor_role == "admin_opd" and target_role == "pegawai"


def may_change_roles(actor_role: str) -> bool:
    return actor_role == "admin"


# What may not be done to one's own account, and why.
NOT_ON_ONESELF = {
    "reset": "Untuk akun Anda sendiri gunakan menu Ubah kata sandi.",
    "deactivate": "Anda tidak dapat menonaktifkan akun Anda sendiri.",
}


def manage_denial(action: str, actor_role: str, target_role: str, is_self: bool) -> str | None:
    """Why `action` ("reset", "deactivate", "reactivate") may not be done to this account."""
    if not may_manage(actor_role, target_role):
        return "Admin OPD hanya dapat mengelola akun pegawai."
    if is_self:
        return NOT_ON_ONESELF.get(action)
    return None


def role_change_denial(actor_role: str) -> str | None:
    """Granting roles and creating system accounts is the BKPSDM admin's alone."""
    if not may_change_roles(actor_role):
        return "Hanya Admin BKPSDM yang dapat mengubah peran atau membuat akun sistem."
    return None


def role_problems(new_role: str, *, has_employee: bool, has_scope: bool,
                  is_self: bool) -> list[str]:
    """Why this account may not get this role (empty when it may)."""
    if is_self:
        return ["Anda tidak dapat mengubah peran akun Anda sendiri."]
    if new_role not in ROLE_CODES:
        return ["Peran tidak dikenal."]
    problems = []
    if new_role == "pegawai" and not has_employee:
        problems.append("Akun sistem (tanpa data pegawai) hanya dapat berperan Admin BKPSDM "
                        "atau Admin OPD.")
    if new_role == "admin_opd" and not has_scope:
        problems.append("Admin OPD wajib diberi unit cakupan (OPD atau sub-unitnya).")
    return problems


def scope_for(role: str, scope_unit_id):
    """Only an admin OPD has a scope unit; any other role keeps none."""
    return scope_unit_id if role == "admin_opd" else None
