"""The cascade (Matriks Peran Hasil) of one unit for one year, read in SQL one level at a time.

Which RHK take part: the Utama RHK of the plan in force of every employee of the unit and its
sub-units (the approved revision, or the newest while none is approved), and of the plans
that intervene in the OPD's goals (the head of the OPD, who sits above a chosen sub-unit).
An RHK hangs under the goal it intervenes in, else under its parent RHK when that RHK takes
part; otherwise it starts a branch not connected to the goals ("lepas").

Besides the OPD's goals (a handful, read once), every read is one statement whatever the
number of rows: the plans in force are a CTE, the counts below a node come from a recursive
CTE aggregated in SQL, and lists come back one page (PAGE rows) at a time, each row with
its own counts.
"""
from dataclasses import dataclass

from peewee import JOIN, SQL, Case, Select, fn

from ...models import SKP_STATUSES, Employee, OrgGoal, Rhk, Skp, Unit

PAGE = 50
# Parent links can loop in bad data (two plans naming each other's RHK); a walk stops here.
MAX_DEPTH = 30


def units_for_admin(scope) -> list:
    """The units whose cascade an admin may see; `scope` None: the regency."""
    query = Unit.select().where(Unit.active)
    if scope is not None:
        query = query.where(Unit.within(scope))
    return list(query.order_by(Unit.path))


def units_for_supervisor(employee_id) -> list:
    """A supervisor's own unit and what lies below it; nothing for one without subordinates."""
    if not employee_id:
        return []
    me = Employee.get_by_id(employee_id)
    if me.unit_id is None or not me.subordinates().exists():
        return []
    own = Unit.get_by_id(me.unit_id)
    return list(Unit.select().where(Unit.within(own) & Unit.active).order_by(Unit.path))


@dataclass
class Node:
    """One RHK in the cascade with what lies below it: `direct` child RHK, `below` RHK at
    every depth, and `people` employees owning them."""
    id: int
    text: str
    owner: str
    nip: str
    position: str
    status: str
    direct: int = 0
    below: int = 0
    people: int = 0

    @property
    def status_label(self) -> str:
        return SKP_STATUSES.get(self.status, self.status)


@dataclass
class Branch:
    """One page of the children of a goal, of an RHK, or of the unconnected RHK, with the
    totals of everything below the parent (all pages)."""
    key: str  # "sasaran-3", "rhk-17", "lepas": names the list in URLs and element ids
    items: list
    page: int
    total: int = 0  # children of the parent
    below: int = 0  # RHK below the parent, every depth
    people: int = 0

    @property
    def first_index(self) -> int:
        return (self.page - 1) * PAGE

    @property
    def shown_until(self) -> int:
        return self.first_index + len(self.items)

    @property
    def has_more(self) -> bool:
        return self.shown_until < self.total

    @property
    def query_args(self) -> dict:
        """The URL parameters that focus the cascade view on this list's parent."""
        kind, _, key = self.key.partition("-")
        return {"bagian": kind} if not key else {kind: int(key)}


@dataclass
class PlanRow:
    id: int
    owner: str
    nip: str
    position: str
    status: str

    @property
    def status_label(self) -> str:
        return SKP_STATUSES.get(self.status, self.status)


def _full_name(title_front, name, title_back) -> str:
    return Employee(title_front=title_front or "", name=name or "", title_back=title_back or "").full_name


def _page_start(page: int, total):
    """SQL: how many rows come before `page`, or before the last page when `page` is past
    the end (a list that shrank under a bookmarked link still shows rows)."""
    first = (page - 1) * PAGE
    return Case(None, [(total > first, first)], ((total - 1) / PAGE) * PAGE)


def _count_if(condition):
    return Case(None, [(condition, 1)], 0)


class Cascade:
    """The cascade of `unit` (any unit; the goals are its OPD's) for `year`."""

    def __init__(self, unit, year: int):
        self.unit, self.year = unit, year
        self.opd = unit.opd()
        # A handful per OPD (its Perjanjian Kinerja): read once, then written into the SQL
        # as a list rather than as a subquery in every place that asks "is this a goal?".
        self.goals = list(OrgGoal.select().where((OrgGoal.unit == self.opd.id) & (OrgGoal.year == year))
                          .order_by(OrgGoal.order, OrgGoal.id))
        self.goal_ids = [goal.id for goal in self.goals]
        in_unit = Employee.select(Employee.id).where(
            Employee.unit.in_(Unit.select(Unit.id).where(Unit.within(unit))))
        current = Skp.select(Skp.id, Skp.employee, Skp.status, Skp.revision).where(
            (Skp.year == year) & (Skp.status != "superseded"))
        self._scoped = (current.where(Skp.employee.in_(in_unit))
                        | current.where(Skp.id.in_(Rhk.select(Rhk.skp).where(Rhk.org_goal.in_(self.goal_ids))))
                        ).cte("cascade_scoped", columns=("id", "employee", "status", "revision"))
        s = self._scoped.c
        self._chosen = (Select([self._scoped], [s.employee, fn.MAX(_count_if(s.status == "approved")),
                                                fn.MAX(s.revision)])
                        .group_by(s.employee)
                        .cte("cascade_chosen", columns=("employee", "approved", "newest")))
        c = self._chosen.c
        self.plans = (Select([self._scoped], [s.id, s.employee])
                      .join(self._chosen, on=(c.employee == s.employee))
                      .where(((c.approved == 1) & (s.status == "approved"))
                             | ((c.approved == 0) & (s.revision == c.newest)))
                      .cte("cascade_plans", columns=("id", "employee")))

    def goal(self, goal_id: int):
        """One of this OPD's goals for the year, or None."""
        return next((goal for goal in self.goals if goal.id == goal_id), None)

    # --- building blocks -------------------------------------------------------------------

    def _ctes(self, *more):
        return (self._scoped, self._chosen, self.plans) + more

    def _not_goal_root(self, rhk):
        """An RHK that intervenes in one of these goals hangs under the goal, never under a parent."""
        return rhk.org_goal.is_null() | rhk.org_goal.not_in(self.goal_ids)

    def _node_ids(self):
        Taking = Rhk.alias("taking_part")
        return (Taking.select(Taking.id).join(self.plans, on=(self.plans.c.id == Taking.skp))
                .where(Taking.kind == "utama"))

    def _tree(self, roots):
        """Recursive CTE (head, top, id, employee, depth): each root (depth 0) and every RHK
        taking part below it."""
        r = roots.c
        tree = (Select([roots], [r.head, r.id, r.id, r.employee, SQL("0")])
                .cte("cascade_tree", recursive=True, columns=("head", "top", "id", "employee", "depth")))
        t = tree.c
        Child = Rhk.alias("child")
        step = (Select([tree], [t.head, t.top, Child.id, self.plans.c.employee, t.depth + 1])
                .join(Child, on=(Child.parent == t.id))
                .join(self.plans, on=(self.plans.c.id == Child.skp))
                .where((Child.kind == "utama") & (t.depth < MAX_DEPTH) & self._not_goal_root(Child)))
        return tree.union_all(step)

    # --- lists of RHK ----------------------------------------------------------------------

    def _branch_rows(self, head, condition, page: int, with_figures=False) -> list:
        """One statement: the RHK matching `condition`, numbered per `head` (a column, or
        None for a single list), each with its counts and the totals of its head; only the
        rows of `page` (or of the last page, past the end) come back, as dicts. `with_figures`
        adds the figures of figures_query() to every row and answers one row of only those
        when no RHK matches."""
        plans = self.plans.c
        ordering = [Skp.position_name, Employee.name, Rhk.order, Rhk.id]
        partition = [head] if head is not None else None
        roots = (Rhk.select((head if head is not None else SQL("0")).alias("head"), Rhk.id, plans.employee,
                            fn.ROW_NUMBER().over(partition_by=partition, order_by=ordering).alias("rn"),
                            fn.COUNT(Rhk.id).over(partition_by=partition).alias("total"))
                 .join(self.plans, on=(plans.id == Rhk.skp))
                 .join(Skp, on=(Skp.id == Rhk.skp))
                 .join(Employee, on=(Employee.id == Skp.employee))
                 .where((Rhk.kind == "utama") & condition)
                 .cte("cascade_roots", columns=("head", "id", "employee", "rn", "total")))
        tree = self._tree(roots)
        t = tree.c
        below_only = Case(None, [(t.depth > 0, t.employee)], None)
        per_top = (Select([tree], [t.top, fn.SUM(_count_if(t.depth == 1)).alias("direct"),
                                   fn.SUM(_count_if(t.depth > 0)).alias("below"),
                                   fn.COUNT(fn.DISTINCT(below_only)).alias("people")])
                   .group_by(t.top).alias("per_top"))
        per_head = (Select([tree], [t.head, fn.COUNT(t.id).alias("below"),
                                    fn.COUNT(fn.DISTINCT(t.employee)).alias("people")])
                    .group_by(t.head).alias("per_head"))
        r = roots.c
        start = _page_start(page, r.total)
        Owner = Employee.alias("owner")
        Plan = Skp.alias("plan")
        Shown = Rhk.alias("shown")
        columns = {"head": r.head, "rn": r.rn, "total": r.total, "id": Shown.id, "text": Shown.text,
                   "title_front": Owner.title_front, "name": Owner.name, "title_back": Owner.title_back,
                   "nip": Owner.nip, "position": Plan.position_name, "status": Plan.status,
                   "direct": per_top.c.direct, "below": per_top.c.below, "people": per_top.c.people,
                   "head_below": per_head.c.below, "head_people": per_head.c.people}
        rows = (Select([roots], [column.alias(name) for name, column in columns.items()])
                .join(Shown, on=(Shown.id == r.id))
                .join(Plan, on=(Plan.id == Shown.skp))
                .join(Owner, on=(Owner.id == Plan.employee))
                .join(per_top, on=(per_top.c.top == r.id))
                .join(per_head, on=(per_head.c.head == r.head))
                .where((r.rn > start) & (r.rn <= start + PAGE)))
        ctes = self._ctes(roots, tree)
        if not with_figures:
            query = rows.order_by(r.head, r.rn).with_cte(*ctes)
        else:
            figures = self.figures_query().alias("figures")
            shown = rows.alias("shown_rows")
            query = (Select([figures], [figures.c.employees, figures.c.without_rhk]
                            + [shown.c[name] for name in columns])
                     .join(shown, JOIN.LEFT_OUTER, on=SQL("1 = 1"))
                     .order_by(shown.c.head, shown.c.rn)
                     .with_cte(*ctes))
        return list(query.bind(Rhk._meta.database).dicts())

    @staticmethod
    def _group(rows, key) -> dict:
        """{head: Branch} from the rows of _branch_rows; `key(head)` names each list."""
        branches = {}
        for row in rows:
            branch = branches.get(row["head"])
            if branch is None:
                branch = branches[row["head"]] = Branch(key(row["head"]), [], (row["rn"] - 1) // PAGE + 1,
                                                        total=row["total"],
                                                        below=int(row["head_below"] or 0),
                                                        people=int(row["head_people"] or 0))
            branch.items.append(Node(row["id"], row["text"],
                                     _full_name(row["title_front"], row["name"], row["title_back"]),
                                     row["nip"], row["position"] or "", row["status"], int(row["direct"] or 0),
                                     int(row["below"] or 0), int(row["people"] or 0)))
        return branches

    def overview(self):
        """(figures, {goal id: Branch}, Branch) in one statement: the first page of the RHK
        intervening in each goal (a goal nobody works on has no entry), the first page of the
        unconnected branches, and the figures of figures_query()."""
        goal_root = Rhk.org_goal.in_(self.goal_ids)
        head = Case(None, [(goal_root, Rhk.org_goal)], 0)  # 0: the unconnected branches
        rows = self._branch_rows(head, goal_root | self._loose(), 1, with_figures=True)
        figures = {"employees": rows[0]["employees"] or 0, "without_rhk": int(rows[0]["without_rhk"] or 0)}
        found = self._group([row for row in rows if row["id"] is not None],
                            lambda head_id: f"sasaran-{head_id}" if head_id else "lepas")
        return figures, found, found.pop(0, None) or Branch("lepas", [], 1)

    def _one_branch(self, head, condition, page: int, head_id, key: str) -> Branch:
        found = self._group(self._branch_rows(head, condition, page), lambda _: key)
        return found.get(head_id) or Branch(key, [], 1)

    def goal_branch(self, goal_id: int, page: int) -> Branch:
        return self._one_branch(Rhk.org_goal, Rhk.org_goal == goal_id, page, goal_id, f"sasaran-{goal_id}")

    def rhk_branch(self, rhk_id: int, page: int) -> Branch:
        return self._one_branch(Rhk.parent, (Rhk.parent == rhk_id) & self._not_goal_root(Rhk), page,
                                rhk_id, f"rhk-{rhk_id}")

    def loose_branch(self, page: int) -> Branch:
        return self._one_branch(None, self._loose(), page, 0, "lepas")

    def _loose(self):
        """RHK taking part whose parent does not (none chosen, or one outside the unit): the
        top of a branch not connected to the goals."""
        return self._not_goal_root(Rhk) & (Rhk.parent.is_null() | Rhk.parent.not_in(self._node_ids()))

    # --- one node and the page's figures ------------------------------------------------

    def path_to(self, rhk_id: int):
        """The RHK (if it takes part in this cascade) and what it hangs under, from the top:
        (goal or None, [Node, ...] ending with this RHK). None when it does not take part."""
        plans = self.plans.c
        goal_of = Case(None, [(Rhk.org_goal.in_(self.goal_ids), Rhk.org_goal)], None)
        up = (Rhk.select(Rhk.id, Rhk.parent, goal_of, SQL("0"))
              .join(self.plans, on=(plans.id == Rhk.skp))
              .where((Rhk.id == rhk_id) & (Rhk.kind == "utama"))
              .cte("cascade_up", recursive=True, columns=("id", "parent", "goal", "depth")))
        u = up.c
        Above = Rhk.alias("above")
        goal_above = Case(None, [(Above.org_goal.in_(self.goal_ids), Above.org_goal)], None)
        step = (Select([up], [Above.id, Above.parent, goal_above, u.depth + 1])
                .join(Above, on=(Above.id == u.parent))
                .join(self.plans, on=(plans.id == Above.skp))
                .where(u.goal.is_null() & (Above.kind == "utama") & (u.depth < MAX_DEPTH)))
        up = up.union_all(step)
        Owner = Employee.alias("owner")
        Plan = Skp.alias("plan")
        Shown = Rhk.alias("shown")
        rows = list(Select([up], [Shown.id, Shown.text, Owner.title_front, Owner.name, Owner.title_back,
                                  Owner.nip, Plan.position_name, Plan.status,
                                  OrgGoal.id, OrgGoal.goal, OrgGoal.indicator, OrgGoal.target])
                    .join(Shown, on=(Shown.id == u.id))
                    .join(Plan, on=(Plan.id == Shown.skp))
                    .join(Owner, on=(Owner.id == Plan.employee))
                    .join(OrgGoal, JOIN.LEFT_OUTER, on=(OrgGoal.id == u.goal))
                    .order_by(u.depth.desc())
                    .with_cte(*self._ctes(up)).bind(Rhk._meta.database).tuples())
        if not rows:
            return None
        path = [Node(rhk, text, _full_name(front, name, back), nip, position or "", status)
                for rhk, text, front, name, back, nip, position, status, *_ in rows]
        goal_id, goal, indicator, target = rows[0][-4:]
        return (OrgGoal(id=goal_id, goal=goal, indicator=indicator, target=target) if goal_id else None), path

    def _has_utama(self):
        Own = Rhk.alias("own")
        return fn.EXISTS(Own.select(Own.id).where((Own.skp == self.plans.c.id) & (Own.kind == "utama")))

    def figures_query(self):
        """Employees with a plan in force here, and how many of those plans have no Utama RHK."""
        return Select([self.plans], [fn.COUNT(self.plans.c.id).alias("employees"),
                                     fn.SUM(Case(None, [(self._has_utama(), 0)], 1)).alias("without_rhk")])

    def plans_without_rhk(self, page: int):
        """(PlanRow list, page, total): a page (or the last one, past the end) of the plans in
        force with no Utama RHK, by name."""
        numbered = (Select([self.plans], [Skp.id, Employee.title_front, Employee.name, Employee.title_back,
                                          Employee.nip, Skp.position_name, Skp.status,
                                          fn.ROW_NUMBER().over(order_by=[Employee.name, Employee.id]).alias("rn"),
                                          fn.COUNT(Skp.id).over().alias("total")])
                    .join(Skp, on=(Skp.id == self.plans.c.id))
                    .join(Employee, on=(Employee.id == Skp.employee))
                    .where(~self._has_utama())
                    .cte("cascade_without", columns=("id", "title_front", "name", "title_back", "nip",
                                                     "position", "status", "rn", "total")))
        w = numbered.c
        start = _page_start(page, w.total)
        rows = list(Select([numbered], [w.id, w.title_front, w.name, w.title_back, w.nip, w.position,
                                        w.status, w.rn, w.total])
                    .where((w.rn > start) & (w.rn <= start + PAGE))
                    .order_by(w.rn)
                    .with_cte(*self._ctes(numbered)).bind(Rhk._meta.database).tuples())
        items = [PlanRow(plan_id, _full_name(front, name, back), nip, position or "", status)
                 for plan_id, front, name, back, nip, position, status, _, _ in rows]
        if not rows:
            return items, 1, 0
        return items, (rows[0][-2] - 1) // PAGE + 1, rows[0][-1]
