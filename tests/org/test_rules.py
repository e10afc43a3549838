"""Organisation rules: golongan per kind of ASN, unit codes, loops in the position tree."""
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.org import (PNS_GRADES, PPPK_GRADES, creates_cycle, grade_problem, is_within,
                               normalise_grade, normalise_unit_code, position_activation_denial,
                               position_deactivation_denial, position_parent_denial, tree_order,
                               unit_activation_denial, unit_code_problem, unit_deactivation_denial,
                               unit_move_denial)


def test_grades_are_normalised_as_people_type_them():
    assert normalise_grade(" iii / a ") == "III/a"
    assert normalise_grade("ix") == "IX"
    assert normalise_grade(None) == ""


def test_grade_must_fit_the_kind_of_asn():
    assert grade_problem("III/a", "pns") is None
    assert grade_problem("IV/e", "pns") is None
    assert grade_problem("", "pns") is None
    assert "PNS" in grade_problem("IX", "pns")
    assert "PNS" in grade_problem("III/e", "pns")  # only golongan IV has ruang e
    assert grade_problem("IX", "pppk") is None
    assert "PPPK" in grade_problem("III/a", "pppk")
    assert "PPPK" in grade_problem("XVIII", "pppk")
    assert len(PNS_GRADES) == 17 and len(PPPK_GRADES) == 17


def test_unit_codes():
    assert normalise_unit_code(" dinkes-yankes ") == "DINKES-YANKES"
    assert unit_code_problem("DINKES-YANKES") is None
    assert unit_code_problem("PKM.01") is None
    assert unit_code_problem("DINKES YANKES") is not None
    assert unit_code_problem("-X") is not None
    assert unit_code_problem("") is not None


def test_is_within_uses_whole_path_segments():
    assert is_within("/1/4/", "/1/")
    assert is_within("/1/", "/1/")
    assert not is_within("/12/", "/1/")
    assert not is_within("", "/1/")


@st.composite
def forests(draw):
    """A random forest: each node's parent has a smaller number, so there is no loop."""
    size = draw(st.integers(1, 25))
    parent_of = {0: None}
    for node in range(1, size):
        parent_of[node] = draw(st.one_of(st.none(), st.integers(0, node - 1)))
    return parent_of


def _subtree(parent_of, root):
    found, frontier = {root}, [root]
    while frontier:
        current = frontier.pop()
        for node, parent in parent_of.items():
            if parent == current and node not in found:
                found.add(node)
                frontier.append(node)
    return found


@given(forests(), st.data())
def test_a_loop_appears_exactly_when_the_new_parent_is_in_the_nodes_own_subtree(parent_of, data):
    node = data.draw(st.sampled_from(sorted(parent_of)))
    new_parent = data.draw(st.one_of(st.none(), st.sampled_from(sorted(parent_of))))
    expected = new_parent is not None and new_parent in _subtree(parent_of, node)
    assert creates_cycle(parent_of, node, new_parent) == expected


def test_a_loop_already_in_the_data_does_not_hang():
    assert creates_cycle({1: 2, 2: 1, 3: None}, 3, 1) is False


class _Unit:
    def __init__(self, id, parent_id, name):
        self.id, self.parent_id, self.name = id, parent_id, name


def test_tree_order_puts_sub_units_under_their_parent_siblings_by_name():
    units = [_Unit(1, None, "Dinas Pendidikan"), _Unit(2, None, "Dinas Kesehatan"),
             _Unit(3, 2, "sekretariat"), _Unit(4, 2, "Bidang P2P"), _Unit(5, 4, "Seksi Imunisasi"),
             _Unit(6, 9, "Puskesmas (induk di luar cakupan)")]
    assert [(u.id, depth) for u, depth in tree_order(units)] == [
        (2, 0), (4, 1), (5, 2), (3, 1), (1, 0), (6, 0)]


@given(st.lists(st.integers(0, 20), max_size=20))
def test_tree_order_shows_every_unit_once_after_its_parent(parents):
    units = [_Unit(i + 1, parent or None, f"u{i}") for i, parent in enumerate(parents)]
    # Only parents with a smaller id: a tree, as the database keeps it.
    units = [u if u.parent_id is None or u.parent_id < u.id else _Unit(u.id, None, u.name)
             for u in units]
    ordered = tree_order(units)
    position = {unit.id: i for i, (unit, _) in enumerate(ordered)}
    assert sorted(position) == [u.id for u in units]
    by_id = {u.id: u for u in units}
    for unit, depth in ordered:
        if unit.parent_id in by_id:
            assert position[unit.parent_id] < position[unit.id]
            assert depth == dict((u.id, d) for u, d in ordered)[unit.parent_id] + 1
        else:
            assert depth == 0


def test_a_unit_is_switched_off_only_once_nothing_active_hangs_on_it():
    free = dict(active_sub_units=False, active_positions=False, active_employees=False)
    assert unit_deactivation_denial("Seksi Lama", **free) is None
    problem = unit_deactivation_denial("Seksi Lama", **dict(free, active_positions=True,
                                                             active_employees=True))
    assert "Seksi Lama" in problem and "jabatan aktif, pegawai aktif" in problem
    assert unit_activation_denial(None) is None and unit_activation_denial(True) is None
    assert "induk" in unit_activation_denial(False)


def test_a_position_is_switched_off_only_when_vacant_and_on_only_in_an_active_unit():
    assert position_deactivation_denial("Perawat", 0) is None
    assert "2 pegawai aktif" in position_deactivation_denial("Perawat", 2)
    assert position_activation_denial(True) is None
    assert position_activation_denial(False)


def test_no_unit_moves_under_itself_and_no_position_under_its_subordinate():
    assert unit_move_denial("/1/4/", "/1/") is None
    assert unit_move_denial("/1/4/", None) is None
    assert unit_move_denial("/1/4/", "/1/4/") and unit_move_denial("/1/4/", "/1/4/9/")
    parent_of = {1: None, 2: 1, 3: 2}
    assert position_parent_denial(parent_of, 2, 1) is None
    assert position_parent_denial(parent_of, 1, 3)
