"""Roster import and export (.xlsx, one row per person, household by its head's ID number).

The import checks every row before it writes anything; one bad row refuses the whole file
with a reason per row. A good file creates or updates households and members by ID number,
so importing the same file twice changes nothing the second time. Export and the blank
template use the same columns, headed in Chinese as in FIELDS.md.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook

from accounts.roles import get_roles
from core.exports import export_failed, export_finished, export_running, export_started
from core.jobs import enqueue_on_commit
from core.models import ExportLog
from core.spreadsheets import table_workbook
from core.uploads import ZIP, require_kind, require_size, require_small_archive
from households.idnumbers import id_number_problem, normalize_id_number, shown_id_number
from households.models import (
    Health,
    Household,
    ImportStatus,
    Member,
    MonitoringCategory,
    PovertyStatus,
    Relation,
    RosterImport,
)
from households.querysets import stationed_village_ids
from households.services import track_flag_dates
from households.signals import coverage_stale
from teams.models import Village

YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    household: bool = False  # a household field, repeated on each of its rows


COLUMNS = [
    Column("banner", "旗区", required=True, household=True),
    Column("township", "苏木乡镇", required=True, household=True),
    Column("village", "嘎查村", required=True, household=True),
    Column("group_name", "所在组", household=True),
    Column("head_name", "户主姓名", required=True, household=True),
    Column("head_id_number", "户主公民身份号码", required=True, household=True),
    Column("phone", "联系电话", household=True),
    Column("address", "住址", household=True),
    Column("poverty_status", "贫困状态", household=True),
    Column("monitoring_category", "监测对象类别", household=True),
    Column("is_dispute", "矛盾纠纷户", household=True),
    Column("is_unstable_mood", "情绪不稳定户", household=True),
    Column("is_special_hardship", "特殊困难户", household=True),
    Column("is_five_guarantee", "五保户", household=True),
    Column("is_disabled", "残疾人家庭", household=True),
    Column("is_empty_nest", "空巢老人", household=True),
    Column("has_left_behind_children", "留守儿童", household=True),
    Column("name", "姓名", required=True),
    Column("id_number", "公民身份号码", required=True),
    Column("relation", "与户主关系", required=True),
    Column("birth_date", "出生日期"),
    Column("health", "健康状况"),
    Column("disability", "残疾情况"),
    Column("schooling", "在校生状况"),
    Column("notes", "备注"),
]
FLAG_KEYS = [c.key for c in COLUMNS if c.key.startswith(("is_", "has_"))]
# Labels as offices write them (FIELDS.md); the import also accepts the code values.
POVERTY_LABELS = {
    "一般户": PovertyStatus.GENERAL,
    "建档立卡贫困户": PovertyStatus.REGISTERED,
    "已脱贫户": PovertyStatus.LIFTED,
    "监测户": PovertyStatus.MONITORED,
}
CATEGORY_LABELS = {
    "脱贫不稳定户": MonitoringCategory.UNSTABLE,
    "边缘易致贫户": MonitoringCategory.MARGINAL,
    "突发严重困难户": MonitoringCategory.SUDDEN,
}
RELATION_LABELS = {
    "户主": Relation.HEAD,
    "配偶": Relation.SPOUSE,
    "子女": Relation.CHILD,
    "父母": Relation.PARENT,
    "孙子女": Relation.GRANDCHILD,
    "兄弟姐妹": Relation.SIBLING,
    "其他": Relation.OTHER,
}
HEALTH_LABELS = {
    "健康": Health.HEALTHY,
    "长期慢性病": Health.CHRONIC,
    "患有大病": Health.SERIOUS,
    "残疾": Health.DISABLED,
}


def _label_of(mapping: dict, value: str) -> str:
    return next((label for label, code in mapping.items() if code == value), "")


def _choice(mapping: dict, raw: str, default: str = "") -> str | None:
    """The code for a label or code; None when unknown."""
    if not raw:
        return default
    if raw in mapping:
        return mapping[raw]
    return raw if raw in mapping.values() else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> date | None | bool:
    """A cell as a date; None when blank; False when not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    for pattern in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return False


@dataclass
class RowError:
    row: int
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "message": self.message}


@dataclass
class ParsedRoster:
    households: dict[str, dict] = field(default_factory=dict)  # head ID -> fields
    members: dict[str, dict] = field(default_factory=dict)  # member ID -> fields
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0


HEADER_SEARCH_ROWS = 5


def read_rows(data: bytes) -> tuple[list[str], Iterable[tuple], int]:
    """The header, the rows below it and the header's row number, read by python-calamine
    (Rust): 20,000 households in a few seconds, where openpyxl's reader took a minute
    (issue 12); openpyxl still writes.

    The header is the first of the top rows that names the head's ID column, so a file
    exported with a title row above the header (core.spreadsheets) imports unchanged.
    """
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    rows = iter(workbook.get_sheet_by_index(0).iter_rows())
    key = next(c.header for c in COLUMNS if c.key == "head_id_number")
    first = None
    for number, cells in enumerate(islice(rows, HEADER_SEARCH_ROWS), start=1):
        header = [_text(cell) for cell in cells]
        first = first or (header, number)
        if key in header:
            return header, rows, number
    header, number = first or ([], 1)
    return header, rows, number


def parse_roster(
    data: bytes, *, user, progress: Callable[[int], None] | None = None
) -> ParsedRoster:
    """Check every row; collect the households and members, or the errors per row."""
    result = ParsedRoster()
    try:
        header, rows, header_row = read_rows(data)
    except Exception:  # noqa: BLE001 - any unreadable upload is one error, not a 500
        result.errors.append(RowError(1, _("The file is not an .xlsx workbook.")))
        return result
    positions = {name: index for index, name in enumerate(header) if name}
    missing = [c.header for c in COLUMNS if c.required and c.header not in positions]
    if missing:
        result.errors.append(
            RowError(1, _("Missing columns: %(columns)s") % {"columns": "、".join(missing)})
        )
        return result
    villages = _village_lookup(user)
    known_members = dict(Member.objects.values_list("id_number", "household__head_id_number"))
    known_heads = dict(Household.objects.values_list("head_id_number", "village_id"))
    allowed_villages = set(villages.values())
    for number, cells in enumerate(rows, start=header_row + 1):
        values = {
            c.key: _text(cells[positions[c.header]])
            if c.header in positions and positions[c.header] < len(cells)
            else ""
            for c in COLUMNS
        }
        raw_birth = (
            cells[positions["出生日期"]]
            if "出生日期" in positions and positions["出生日期"] < len(cells)
            else None
        )
        if not any(values.values()):
            continue
        result.rows += 1
        if result.rows > settings.ROSTER_MAX_ROWS:
            result.errors.append(
                RowError(
                    number,
                    _("The file has more than %(rows)s rows; split it into smaller files.")
                    % {"rows": settings.ROSTER_MAX_ROWS},
                )
            )
            return result
        problems = _row_problems(values, raw_birth, villages, known_members, result)
        if not problems:
            problems = _moves_household(values, allowed_villages, known_heads)
        for problem in problems:
            result.errors.append(RowError(number, problem))
        if progress and result.rows % 1000 == 0:
            progress(result.rows)
    if result.rows == 0 and not result.errors:
        result.errors.append(RowError(2, _("The file has no rows.")))
    return result


def _village_lookup(user) -> dict[tuple[str, str, str], int]:
    """(banner, township, village) names -> village id, for villages the user may import."""
    villages = Village.objects.all()
    if not get_roles(user).is_office:
        villages = villages.filter(pk__in=stationed_village_ids(user))
    return {
        (banner, township, name): pk
        for pk, banner, township, name in villages.values_list(
            "pk", "township__banner__name", "township__name", "name"
        )
    }


def _moves_household(values, allowed_villages, known_heads) -> list[str]:
    """A household registered in a village the user may not import stays where it is."""
    current = known_heads.get(normalize_id_number(values["head_id_number"]))
    if current is None or current in allowed_villages:
        return []
    return [str(_("This household is registered in another village."))]


def _max_lengths() -> dict[str, int]:
    """Each text column's limit, read from the model field it fills (issue 11, finding 9:
    a 60-character name passed the checks and failed the insert)."""
    limits = {}
    for column in COLUMNS:
        model = Household if column.household else Member
        try:
            field = model._meta.get_field(column.key)
        except Exception:  # noqa: BLE001 - banner/township/village name a place, not a field
            continue
        if getattr(field, "max_length", None) and not field.choices:
            limits[column.key] = field.max_length
    return limits


MAX_LENGTHS = _max_lengths()


def _row_problems(values, raw_birth, villages, known_members, result) -> list[str]:
    problems = []
    for column in COLUMNS:
        if column.required and not values[column.key]:
            problems.append(_("%(column)s is empty.") % {"column": column.header})
        limit = MAX_LENGTHS.get(column.key)
        if limit and len(values[column.key]) > limit:
            problems.append(
                _("%(column)s is longer than %(limit)s characters.")
                % {"column": column.header, "limit": limit}
            )
    if problems:
        return problems
    head_id = normalize_id_number(values["head_id_number"])
    member_id = normalize_id_number(values["id_number"])
    for column_key, value in (("head_id_number", head_id), ("id_number", member_id)):
        problem = id_number_problem(value)
        if problem:
            header = next(c.header for c in COLUMNS if c.key == column_key)
            problems.append(f"{header}: {problem}")
    village_id = villages.get((values["banner"], values["township"], values["village"]))
    if village_id is None:
        problems.append(
            _("Unknown village %(village)s (or not one you may import).")
            % {"village": f"{values['banner']}/{values['township']}/{values['village']}"}
        )
    birth = _date(raw_birth)
    if birth is False:
        problems.append(_("Bad birth date %(value)s.") % {"value": _text(raw_birth)})
    poverty = _choice(POVERTY_LABELS, values["poverty_status"], PovertyStatus.GENERAL)
    category = _choice(CATEGORY_LABELS, values["monitoring_category"])
    relation = _choice(RELATION_LABELS, values["relation"])
    health = _choice(HEALTH_LABELS, values["health"], Health.HEALTHY)
    for value, header in (
        (poverty, "贫困状态"),
        (category, "监测对象类别"),
        (relation, "与户主关系"),
        (health, "健康状况"),
    ):
        if value is None:
            problems.append(_("Unknown value in %(column)s.") % {"column": header})
    if poverty == PovertyStatus.MONITORED and not category:
        problems.append(_("A monitored household needs its category."))
    if poverty != PovertyStatus.MONITORED and category:
        problems.append(_("Only a monitored household has a category."))
    flags = {}
    for key in FLAG_KEYS:
        raw = values[key]
        if raw not in ("", YES, NO, "1", "0"):
            header = next(c.header for c in COLUMNS if c.key == key)
            problems.append(_("%(column)s must be 是 or 否.") % {"column": header})
        flags[key] = raw in (YES, "1")
    if member_id in result.members:
        problems.append(
            _("Duplicate ID number %(id)s (also on another row).") % {"id": member_id[-4:]}
        )
    elif known_members.get(member_id, head_id) != head_id:
        problems.append(
            _("ID number ending %(id)s belongs to a member of another household.")
            % {"id": member_id[-4:]}
        )
    if problems:
        return problems
    household = {
        "village_id": village_id,
        "head_name": values["head_name"],
        "head_id_number": head_id,
        "phone": values["phone"],
        "group_name": values["group_name"],
        "address": values["address"],
        "poverty_status": poverty,
        "monitoring_category": category,
        **flags,
    }
    seen = result.households.get(head_id)
    if seen is None:
        result.households[head_id] = household
    elif seen["village_id"] != village_id:
        problems.append(_("The same household is listed in two villages."))
        return problems
    if relation == Relation.HEAD and member_id != head_id:
        problems.append(_("The head's row must carry the head's ID number."))
        return problems
    result.members[member_id] = {
        "head_id_number": head_id,
        "name": values["name"],
        "relation": relation,
        "id_number": member_id,
        "birth_date": birth or None,
        "health": health,
        "disability": values["disability"],
        "schooling": values["schooling"],
        "notes": values["notes"],
    }
    return problems


HOUSEHOLD_WRITE_FIELDS = [
    "village_id",
    "head_name",
    "phone",
    "group_name",
    "address",
    "poverty_status",
    "monitoring_category",
    *FLAG_KEYS,
]
MEMBER_WRITE_FIELDS = [
    "name",
    "relation",
    "birth_date",
    "health",
    "disability",
    "schooling",
    "notes",
]


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def write_roster(parsed: ParsedRoster) -> tuple[int, int]:
    """Create or update households and members in bulk; returns (created, updated)."""
    today = timezone.localdate()
    head_ids = list(parsed.households)
    existing: dict[str, Household] = {}
    for chunk in _chunks(head_ids):
        existing.update(
            {h.head_id_number: h for h in Household.objects.filter(head_id_number__in=chunk)}
        )
    villages_before = {h.village_id for h in existing.values()}
    to_create, to_update = [], []
    for head_id, fields in parsed.households.items():
        household = existing.get(head_id)
        if household is None:
            household = Household(**fields)
            track_flag_dates(household, on=today)
            to_create.append(household)
            continue
        changed = False
        for name in HOUSEHOLD_WRITE_FIELDS:
            if getattr(household, name) != fields[name]:
                setattr(household, name, fields[name])
                changed = True
        if changed:
            track_flag_dates(household, on=today)
            to_update.append(household)
    Household.objects.bulk_create(to_create, batch_size=1000)
    # Bulk writes send no signals: the villages' kept coverage is stale now.
    coverage_stale(village_ids={h.village_id for h in [*to_create, *to_update]} | villages_before)
    if to_update:
        Household.objects.bulk_update(
            to_update, [*HOUSEHOLD_WRITE_FIELDS, "key_since", "poor_since"], batch_size=1000
        )
    household_ids = {h.head_id_number: h.pk for h in [*existing.values(), *to_create]}
    if any(pk is None for pk in household_ids.values()):  # backends without RETURNING
        for chunk in _chunks(head_ids):
            household_ids.update(
                Household.objects.filter(head_id_number__in=chunk).values_list(
                    "head_id_number", "pk"
                )
            )
    member_ids = list(parsed.members)
    members: dict[str, Member] = {}
    for chunk in _chunks(member_ids):
        members.update({m.id_number: m for m in Member.objects.filter(id_number__in=chunk)})
    new_members, changed_members = [], []
    for member_id, fields in parsed.members.items():
        values = {k: v for k, v in fields.items() if k != "head_id_number"}
        member = members.get(member_id)
        if member is None:
            new_members.append(
                Member(household_id=household_ids[fields["head_id_number"]], **values)
            )
            continue
        if any(getattr(member, name) != values[name] for name in MEMBER_WRITE_FIELDS):
            for name in MEMBER_WRITE_FIELDS:
                setattr(member, name, values[name])
            changed_members.append(member)
    Member.objects.bulk_create(new_members, batch_size=1000)
    if changed_members:
        Member.objects.bulk_update(changed_members, MEMBER_WRITE_FIELDS, batch_size=1000)
    return len(to_create), len(to_update) + (
        len({m.household_id for m in changed_members} - {h.pk for h in to_update})
    )


# --- export and template ---------------------------------------------------------------


ROSTER_TITLE = "花名册"


def template_workbook() -> bytes:
    data, _count = table_workbook(
        title=ROSTER_TITLE, headers=[c.header for c in COLUMNS], rows=[], total_columns=None
    )
    return data


def export_rows(households, *, user) -> Iterable[list]:
    """One row per member (a household without members: one row with empty member cells)."""
    for household in households:
        shown_head = shown_id_number(
            user, village_id=household.village_id, value=household.head_id_number
        )
        village = household.village
        base = {
            "banner": village.township.banner.name,
            "township": village.township.name,
            "village": village.name,
            "group_name": household.group_name,
            "head_name": household.head_name,
            "head_id_number": shown_head,
            "phone": household.phone,
            "address": household.address,
            "poverty_status": _label_of(POVERTY_LABELS, household.poverty_status),
            "monitoring_category": _label_of(CATEGORY_LABELS, household.monitoring_category),
            **{key: YES if getattr(household, key) else NO for key in FLAG_KEYS},
        }
        members = list(household.members.all()) or [None]
        for member in members:
            row = dict(base)
            if member is not None:
                row.update(
                    name=member.name,
                    id_number=shown_id_number(
                        user, village_id=household.village_id, value=member.id_number
                    ),
                    relation=_label_of(RELATION_LABELS, member.relation),
                    birth_date=member.birth_date.isoformat() if member.birth_date else "",
                    health=_label_of(HEALTH_LABELS, member.health),
                    disability=member.disability,
                    schooling=member.schooling,
                    notes=member.notes,
                )
            yield [row.get(c.key, "") for c in COLUMNS]


def export_workbook(households, *, user) -> tuple[bytes, int]:
    """The roster in the import layout, and the number of rows written."""
    # The import layout: the title row above the header is skipped by read_rows.
    return table_workbook(
        title=ROSTER_TITLE,
        headers=[c.header for c in COLUMNS],
        rows=export_rows(households, user=user),
        total_columns=None,
    )


ROSTER_EXPORT = "roster"
EXPORT_FILTERS = ("search", "poverty_status", "zone", "key_only", "village_id")


def roster_export_start(*, user, filters: dict, description: str) -> ExportLog:
    """Log the export (who, what, when) and build the file in a Celery task: a city-wide
    roster is too large to write inside a request."""
    from households import tasks

    job = export_started(
        user=user,
        app="households",
        kind=ROSTER_EXPORT,
        description=description,
        params={k: v for k, v in filters.items() if k in EXPORT_FILTERS},
    )
    enqueue_on_commit(tasks.export_roster, job.pk)
    return job


def roster_export_run(*, job_id: int) -> ExportLog:
    """Write the export file; the rows are the requesting user's, masked as they see them."""
    from households.selectors import household_list

    job = ExportLog.objects.select_related("user").get(pk=job_id)
    if job.is_done:
        return job
    export_running(log=job)
    params = job.params
    village = str(params.get("village_id", ""))
    filters = {
        "search": params.get("search", ""),
        "poverty_status": params.get("poverty_status", ""),
        "zone": params.get("zone", ""),
        "key_only": params.get("key_only") == "True",
        "village_id": int(village) if village.isdigit() else None,
    }
    try:
        households = household_list(user=job.user, **filters).prefetch_related("members")
        data, rows = export_workbook(households.iterator(chunk_size=2000), user=job.user)
    except Exception as error:
        export_failed(log=job, error=error)
        raise
    return export_finished(log=job, name=f"roster-{job.pk}.xlsx", data=data, row_count=rows)


# --- the import as a job with progress --------------------------------------------------


def can_import(user) -> bool:
    """Office staff, or a leader of a stationed team (for their own village)."""
    roles = get_roles(user)
    return roles.is_office or roles.is_leader


def roster_import_start(*, user, upload) -> RosterImport:
    """Store the upload and queue the check-then-write job (a Celery task)."""
    from accounts.errors import NotAllowed
    from households import tasks

    if not can_import(user):
        raise NotAllowed(_("Only the office or a team leader may import a roster."))
    # Checked before the file is stored, so a refusal leaves no file behind.
    require_size(upload, max_mb=settings.ROSTER_MAX_UPLOAD_MB)
    require_kind(upload, frozenset({ZIP}))
    require_small_archive(upload)
    job = RosterImport(user=user)
    job.file.save(upload.name.rsplit("/", 1)[-1][:80], upload, save=False)
    job.save()
    enqueue_on_commit(tasks.import_roster, job.pk)
    return job


def roster_import_run(*, job_id: int) -> RosterImport:
    """Check every row first; write nothing if any is wrong, else write all at once."""
    job = RosterImport.objects.select_related("user").get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job
    RosterImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    try:
        return _run_import(job)
    except Exception as error:
        # Whatever went wrong, the job ends "failed" with a message instead of
        # "processing, 0 rows" forever (issue 11, finding 9).
        roster_import_fail(
            job_id=job.pk,
            message=_("The import stopped on an error: %(error)s") % {"error": str(error)[:200]},
        )
        raise


def roster_import_fail(*, job_id: int, message: str) -> None:
    RosterImport.objects.filter(pk=job_id).exclude(
        status__in=(ImportStatus.DONE, ImportStatus.FAILED)
    ).update(
        status=ImportStatus.FAILED,
        errors=[{"row": 0, "message": str(message)}],
        finished_at=timezone.now(),
    )


@transaction.atomic
def _run_import(job: RosterImport) -> RosterImport:
    with job.file.open("rb") as handle:
        data = handle.read()

    def progress(rows: int) -> None:
        RosterImport.objects.filter(pk=job.pk).update(processed_rows=rows)

    parsed = parse_roster(data, user=job.user, progress=progress)
    job.total_rows = job.processed_rows = parsed.rows
    job.finished_at = timezone.now()
    if parsed.errors:
        job.status = ImportStatus.FAILED
        job.errors = [error.as_dict() for error in parsed.errors[:500]]
    else:
        job.created_households, job.updated_households = write_roster(parsed)
        job.status = ImportStatus.DONE
    job.save()
    return job
