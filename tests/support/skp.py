"""The demo regency's SKP cast, looked up by position."""
from kinerja.models import AuditLog, Employee, Position, Rhk, Skp

from . import HX
from .app import TODAY, login

YEAR = TODAY.year


def holder(key, index=0):
    position = Position.get(Position.name == _name(key))
    return list(Employee.select().where(Employee.position == position).order_by(Employee.id))[index]


def _name(key):
    from kinerja.demo.org import _position_name
    return _position_name(key)


def login_as(client, q, key, index=0):
    nip = q(lambda: holder(key, index).nip)
    client.post("/keluar")
    assert login(client, nip).status_code == 302
    return client


def new_plan(client, copy=False):
    data = {"year": str(YEAR), "approach": "kuantitatif"}
    if copy:
        data["copy_previous"] = "y"
    response = client.post("/skp/baru", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def kapus_rhk_id(q):
    return q(lambda: Rhk.select().join(Skp).where((Skp.employee == holder("kapus-skm").id)
                                                   & (Skp.year == YEAR) & (Skp.status == "approved"))
             .order_by(Rhk.order).first().id)


def rhk_data(q, text="Terlaksananya asuhan keperawatan", parent=True, **indicator):
    data = {"text": text, "parent": str(kapus_rhk_id(q)) if parent else "", "op": "save",
            "indicators-0-aspect": "kuantitas", "indicators-0-text": "Jumlah pasien dilayani",
            "indicators-0-target_min": "2.400", "indicators-0-target_max": "",
            "indicators-0-target_unit": "pasien"}
    data.update({f"indicators-0-{k}": v for k, v in indicator.items()})
    return data


def add_rhk(client, q, skp_id, kind="utama", **kw):
    response = client.post(f"/skp/{skp_id}/rhk?jenis={kind}", data=rhk_data(q, **kw), headers=HX)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response


def ready_plan(client, q):
    """The demo employee's plan with two Utama RHK, submitted."""
    skp_id = new_plan(client)
    add_rhk(client, q, skp_id, text="Terlaksananya asuhan keperawatan")
    add_rhk(client, q, skp_id, text="Terlaksananya kunjungan rumah keluarga rawan")
    assert client.post(f"/skp/{skp_id}/ajukan").status_code == 302
    return skp_id


def audit_actions(q, entity, entity_id):
    return q(lambda: [a.action for a in AuditLog.select().where((AuditLog.entity == entity)
                                                                 & (AuditLog.entity_id == entity_id))
                      .order_by(AuditLog.id)])
