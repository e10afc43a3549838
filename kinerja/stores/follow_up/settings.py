"""The regency's follow-up settings: the matrix from predikat to proposals (domain/followup.md
§1), and whether admins see a coaching plan's contents (§2)."""
from ...models import AuditLog, Setting, db
from ...rules import follow_up as rules


def matrix() -> dict[str, list[str]]:
    return rules.parse_matrix(Setting.get_value(rules.MATRIX_SETTING))


def admins_see_notes() -> bool:
    return Setting.get_value(rules.ADMIN_NOTES_SETTING) == "1"


def _put(key: str, value: str) -> None:
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        Setting.create(key=key, value=value)
    else:
        row.value = value
        row.save()


def save(actor, new: dict, notes_for_admins: bool) -> dict[str, list[str]]:
    value = rules.dump_matrix(new)
    with db.atomic():
        before = {"matrix": matrix(), "admins_see_notes": admins_see_notes()}
        _put(rules.MATRIX_SETTING, value)
        _put(rules.ADMIN_NOTES_SETTING, "1" if notes_for_admins else "0")
        after = {"matrix": rules.parse_matrix(value), "admins_see_notes": notes_for_admins}
        AuditLog.record(actor, "update", "setting", None, "Mengubah pengaturan tindak lanjut",
                        before=before, after=after)
    return after["matrix"]
