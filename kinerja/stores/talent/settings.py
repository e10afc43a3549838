"""The regency's talent settings: whether a pegawai sees their own box, and the box labels."""
import json

from ...models import AuditLog, Setting, db
from ...rules import talent as rules


def own_box_visible() -> bool:
    return Setting.get_value(rules.OWN_BOX_SETTING, "0") == "1"


def box_labels() -> dict[int, str]:
    try:
        overrides = json.loads(Setting.get_value(rules.LABELS_SETTING) or "{}")
    except ValueError:
        overrides = {}
    return rules.box_labels(overrides if isinstance(overrides, dict) else {})


def set_own_box_visible(actor, visible: bool) -> None:
    with db.atomic():
        before = own_box_visible()
        value = "1" if visible else "0"
        Setting.insert(key=rules.OWN_BOX_SETTING, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
        AuditLog.record(actor, "talent_setting", "setting", None,
                        "Pegawai " + ("dapat" if visible else "tidak dapat")
                        + " melihat kotak talentanya sendiri",
                        before={"own_box_visible": before}, after={"own_box_visible": visible})
