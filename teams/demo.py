"""Demo city for `make run` and benchmarks: Ordos's nine banners, units, teams, cadres.

``seed(scale="demo")`` builds a small believable city with one login per role;
``scale="city"`` builds 800 villages and 3,200 cadres with bulk inserts. Both are
idempotent: a second run adds nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import OFFICE_GROUP, User
from teams.models import (
    AreaAssignment,
    Banner,
    Cadre,
    DevelopmentCategory,
    DispatchingUnit,
    Expertise,
    Gender,
    Handover,
    HandoverItem,
    HandoverItemKind,
    Membership,
    MembershipRole,
    ProblemTag,
    Rank,
    SelectionStatus,
    SupervisionGroup,
    Team,
    TeamStatus,
    Township,
    UnitPairing,
    UnitType,
    Village,
)

DEMO_PASSWORD = "zhucun-demo-2026"

BANNERS = [
    ("150602", "东胜区", ["罕台镇", "泊江海子镇", "铜川镇"]),
    ("150603", "康巴什区", ["哈巴格希街道", "青春山街道", "滨河街道"]),
    ("150621", "达拉特旗", ["树林召镇", "王爱召镇", "白泥井镇", "吉格斯太镇", "昭君镇"]),
    ("150622", "准格尔旗", ["薛家湾镇", "沙圪堵镇", "大路镇", "十二连城乡"]),
    ("150623", "鄂托克前旗", ["敖勒召其镇", "上海庙镇", "城川镇", "昂素镇"]),
    ("150624", "鄂托克旗", ["乌兰镇", "棋盘井镇", "木凯淖尔镇", "阿尔巴斯苏木"]),
    ("150625", "杭锦旗", ["锡尼镇", "独贵塔拉镇", "吉日嘎朗图镇", "伊和乌素苏木"]),
    ("150626", "乌审旗", ["嘎鲁图镇", "乌审召镇", "图克镇", "无定河镇"]),
    ("150627", "伊金霍洛旗", ["阿勒腾席热镇", "札萨克镇", "伊金霍洛镇", "纳林陶亥镇"]),
]
VILLAGE_STEMS = [
    "巴音",
    "乌兰",
    "哈达图",
    "阿日善",
    "呼和",
    "查干",
    "额尔和图",
    "苏布日格",
    "敖包",
    "图古日格",
    "新民",
    "红庆河",
    "布尔陶亥",
    "纳林",
    "沙日",
    "宝日",
    "陶尔庙",
    "塔拉",
    "哈日",
    "那仁",
    "门克",
    "赛音",
    "希拉",
    "伊克",
    "柴达木",
    "道劳",
    "察汗",
    "乌兰什巴台",
]
VILLAGE_SUFFIXES = ["嘎查", "村"]
INDUSTRIES = ["肉羊养殖", "肉牛养殖", "玉米种植", "绒山羊", "乡村旅游", "马铃薯", "沙棘", "光伏"]
UNITS = [
    ("市委组织部", UnitType.STATE_ORGAN),
    ("市委宣传部", UnitType.STATE_ORGAN),
    ("市发展和改革委员会", UnitType.STATE_ORGAN),
    ("市财政局", UnitType.STATE_ORGAN),
    ("市农牧局", UnitType.STATE_ORGAN),
    ("市教育局", UnitType.STATE_ORGAN),
    ("市卫生健康委员会", UnitType.STATE_ORGAN),
    ("市交通运输局", UnitType.STATE_ORGAN),
    ("市水利局", UnitType.STATE_ORGAN),
    ("市自然资源局", UnitType.STATE_ORGAN),
    ("市民政局", UnitType.STATE_ORGAN),
    ("市人力资源和社会保障局", UnitType.STATE_ORGAN),
    ("市林业和草原局", UnitType.STATE_ORGAN),
    ("市文化和旅游局", UnitType.STATE_ORGAN),
    ("市商务局", UnitType.STATE_ORGAN),
    ("市市场监督管理局", UnitType.STATE_ORGAN),
    ("市住房和城乡建设局", UnitType.STATE_ORGAN),
    ("市司法局", UnitType.STATE_ORGAN),
    ("市总工会", UnitType.SOCIAL_GROUP),
    ("团市委", UnitType.SOCIAL_GROUP),
    ("市妇联", UnitType.SOCIAL_GROUP),
    ("鄂尔多斯应用技术学院", UnitType.UNIVERSITY),
    ("市国有资产投资控股集团", UnitType.STATE_ENTERPRISE),
    ("市中心医院", UnitType.PUBLIC_INSTITUTION),
    ("市农牧业科学研究院", UnitType.PUBLIC_INSTITUTION),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林郝白乔贺"
GIVEN = [
    "建国",
    "海军",
    "丽娟",
    "志强",
    "晓燕",
    "文华",
    "俊峰",
    "秀英",
    "永胜",
    "春梅",
    "宏伟",
    "玉兰",
    "德胜",
    "雪梅",
    "振华",
    "金花",
    "立新",
    "红霞",
    "国庆",
    "桂芳",
]
MONGOLIAN = [
    "巴特尔",
    "其木格",
    "斯琴",
    "乌日娜",
    "额尔登",
    "那日苏",
    "苏日娜",
    "朝鲁",
    "宝音",
    "萨仁",
    "孟和",
    "格日勒",
    "阿拉坦",
    "图雅",
    "哈斯",
]
CHINESE_NUMERALS = "一二三四五六七八九"


@dataclass
class CityShape:
    villages_per_township: int
    extra_townships_per_banner: int
    members_per_team: int
    # City scale: every new team started this many days ago, so that the benchmark has
    # two years of history everywhere (None: the demo's staggered starts).
    term_days_ago: int | None = None


SHAPES = {
    "demo": CityShape(villages_per_township=2, extra_townships_per_banner=0, members_per_team=3),
    "city": CityShape(
        villages_per_township=10,
        extra_townships_per_banner=5,
        members_per_team=3,
        term_days_ago=700,
    ),
}


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return rng.choice(MONGOLIAN)
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def seed(*, scale: str = "demo", stdout=None) -> None:
    """Build the org structure; a second call finds it there and adds nothing."""
    shape = SHAPES[scale]
    wanted_villages = sum(
        (len(towns) + shape.extra_townships_per_banner) * shape.villages_per_township
        for _, _, towns in BANNERS
    )
    demo_done = User.objects.filter(username=DEMO_LOGINS[0][0]).exists()
    if Village.objects.count() >= wanted_villages and (scale != "demo" or demo_done):
        return
    with transaction.atomic():
        _build(shape, rng=random.Random(2018))
        if scale == "demo" and not demo_done:
            _demo_scenarios()
    if stdout:
        stdout.write(f"teams: {Village.objects.count()} villages, {Cadre.objects.count()} cadres")


def _build(shape: CityShape, rng: random.Random) -> None:
    tags = list(ProblemTag.objects.all())
    for code, name, towns in BANNERS:
        banner, _ = Banner.objects.get_or_create(code=code, defaults={"name": name})
        extra = [f"{name[:2]}第{i + 1}苏木" for i in range(shape.extra_townships_per_banner)]
        for town in towns + extra:
            Township.objects.get_or_create(banner=banner, name=town)
    units = [
        DispatchingUnit.objects.get_or_create(name=n, defaults={"unit_type": t})[0]
        for n, t in UNITS
    ]
    groups = [
        SupervisionGroup.objects.get_or_create(name=f"第{numeral}督查推进组")[0]
        for numeral in CHINESE_NUMERALS
    ]
    banner_group = dict(zip(Banner.objects.order_by("code").values_list("pk", flat=True), groups))
    townships = list(Township.objects.select_related("banner").order_by("banner__code", "pk"))
    existing = set(Village.objects.values_list("township_id", "name"))
    per_township = Counter(township_id for township_id, _ in existing)
    new_villages = []
    for t_index, township in enumerate(townships):
        for v_index in range(per_township[township.pk], shape.villages_per_township):
            stem = VILLAGE_STEMS[(t_index * 7 + v_index * 3) % len(VILLAGE_STEMS)]
            name = f"{stem}{VILLAGE_SUFFIXES[(t_index + v_index) % 2]}"
            if (township.pk, name) in existing:
                name = f"{stem}{v_index + 1}{VILLAGE_SUFFIXES[v_index % 2]}"
            if (township.pk, name) in existing:
                continue
            existing.add((township.pk, name))
            new_villages.append(
                Village(
                    township=township,
                    name=name,
                    development_category=rng.choice(DevelopmentCategory.values),
                    leading_industries="、".join(rng.sample(INDUSTRIES, 2)),
                    latitude=round(39.0 + rng.random() * 1.5, 6),
                    longitude=round(107.0 + rng.random() * 3.0, 6),
                )
            )
    Village.objects.bulk_create(new_villages, batch_size=500)
    villages = list(
        Village.objects.filter(teams__isnull=True).select_related("township").order_by("pk")
    )
    Tags = Village.problem_tags.through
    Tags.objects.bulk_create(
        [
            Tags(village_id=v.pk, problemtag_id=rng.choice(tags).pk)
            for v in villages
            if rng.random() < 0.6
        ],
        ignore_conflicts=True,
    )
    today = date.today()
    teams, cadres = [], []
    for index, village in enumerate(villages):
        unit = units[index % len(units)]
        start = date(2025, 3, 1) if index % 9 else today - timedelta(days=700)
        if shape.term_days_ago is not None:
            start = today - timedelta(days=shape.term_days_ago)
        teams.append(
            Team(
                name=f"{unit.name}驻{village.name}工作队",
                village=village,
                unit=unit,
                supervision_group=banner_group[village.township.banner_id],
                term_start=start,
                term_end=start.replace(year=start.year + 2),
                status=TeamStatus.ACTIVE,
            )
        )
        for _ in range(shape.members_per_team + 1):
            cadres.append(
                Cadre(
                    name=person_name(rng),
                    gender=rng.choice(Gender.values),
                    unit=unit,
                    rank=rng.choice([Rank.DIVISION, Rank.SECTION, Rank.SECTION]),
                    expertise=rng.choice(Expertise.values),
                    phone=f"13{rng.randint(100000000, 999999999)}",
                    selection_status=SelectionStatus.APPROVED,
                    health_check_date=date(2025, 2, 15),
                    insurance_start=start,
                    insurance_end=start.replace(year=start.year + 2)
                    if index % 11
                    else today + timedelta(days=30),
                    party_membership_transferred_on=start + timedelta(days=20),
                )
            )
    Team.objects.bulk_create(teams, batch_size=500)
    Cadre.objects.bulk_create(cadres, batch_size=1000)
    per_team = shape.members_per_team + 1
    memberships = []
    for t_index, team in enumerate(teams):
        for c_index, cadre in enumerate(cadres[t_index * per_team : (t_index + 1) * per_team]):
            memberships.append(
                Membership(
                    team=team,
                    cadre=cadre,
                    role=MembershipRole.LEADER if c_index == 0 else MembershipRole.MEMBER,
                    is_first_secretary=c_index == 0,
                    start_date=team.term_start,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=1000)


def _user(username: str, full_name: str, **extra) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, **extra}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def demo_team() -> Team:
    """The team the demo logins belong to: the first active team of 东胜区."""
    return (
        Team.objects.filter(status=TeamStatus.ACTIVE, village__township__banner__code="150602")
        .order_by("pk")
        .first()
    )


def _demo_scenarios() -> None:
    """One login per role around one team, plus the cases each rule should show."""
    team = demo_team()
    office = _user("office", "市包联办 王主任", is_staff=True)
    office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    team.supervision_group.members.add(_user("supervisor", "督查组 李组长"))
    team.unit.contacts.add(_user("unit", "派出单位 张联络员"))
    banner = team.village.township.banner
    AreaAssignment.objects.get_or_create(user=_user("banner", "旗区 赵干事"), banner=banner)
    AreaAssignment.objects.get_or_create(
        user=_user("township", "苏木乡镇 刘镇长"), township=team.village.township, is_head=True
    )
    AreaAssignment.objects.get_or_create(
        user=_user("village", "嘎查村 巴特尔主任"), village=team.village, is_head=True
    )
    memberships = list(team.memberships.select_related("cadre").order_by("pk"))
    for membership, username in zip(memberships, ["leader", "member", "member2", "member3"]):
        cadre = membership.cadre
        cadre.user = _user(username, cadre.name)
        cadre.save(update_fields=["user"])

    teams = list(Team.objects.filter(status=TeamStatus.ACTIVE).order_by("pk"))
    # R2: a leader who is not the first secretary, with the reason recorded.
    exception_team = teams[1]
    exception_team.memberships.filter(role=MembershipRole.LEADER).update(is_first_secretary=False)
    exception_team.leader_exception_reason = "第一书记因病休养，由副处级干部代任队长"
    exception_team.save(update_fields=["leader_exception_reason"])
    # R1 monitor: a member left mid-term and the team is below strength.
    short = teams[2]
    leavers = short.memberships.filter(role=MembershipRole.MEMBER).order_by("pk")[:2]
    Membership.objects.filter(pk__in=list(leavers.values_list("pk", flat=True))).update(
        end_date=date.today() - timedelta(days=10)
    )
    # R8: a rotation in progress, the handover half done.
    outgoing = teams[3]
    outgoing.status = TeamStatus.HANDING_OVER
    outgoing.save(update_fields=["status"])
    incoming = Team.objects.create(
        name=f"{outgoing.unit.name}驻{outgoing.village.name}第二期工作队",
        village=outgoing.village,
        unit=outgoing.unit,
        supervision_group=outgoing.supervision_group,
        term_start=date.today() - timedelta(days=5),
        term_end=date.today() - timedelta(days=5) + timedelta(days=730),
        status=TeamStatus.ACTIVE,
    )
    rng = random.Random(7)
    for index in range(3):
        cadre = Cadre.objects.create(
            name=person_name(rng),
            unit=outgoing.unit,
            selection_status=SelectionStatus.APPROVED,
            expertise=Expertise.ECONOMIC,
        )
        Membership.objects.create(
            team=incoming,
            cadre=cadre,
            start_date=incoming.term_start,
            role=MembershipRole.LEADER if index == 0 else MembershipRole.MEMBER,
            is_first_secretary=index == 0,
        )
    handover = Handover.objects.create(outgoing_team=outgoing, incoming_team=incoming)
    for kind in HandoverItemKind.values:
        done = kind in (HandoverItemKind.MATERIALS, HandoverItemKind.ARCHIVES)
        HandoverItem.objects.create(
            handover=handover, kind=kind, done=done, note="已移交清单原件" if done else ""
        )
    # R4: a forming team whose new cadre still awaits the organization department.
    village = Village.objects.filter(teams__isnull=True).first() or Village.objects.create(
        township=team.village.township, name="新建嘎查"
    )
    forming = Team.objects.create(
        name=f"{team.unit.name}驻{village.name}工作队",
        village=village,
        unit=team.unit,
        supervision_group=team.supervision_group,
        term_start=date.today() + timedelta(days=14),
        term_end=date.today() + timedelta(days=744),
    )
    for index in range(3):
        cadre = Cadre.objects.create(
            name=person_name(rng),
            unit=team.unit,
            selection_status=SelectionStatus.PENDING if index == 2 else SelectionStatus.APPROVED,
        )
        Membership.objects.create(
            team=forming,
            cadre=cadre,
            start_date=forming.term_start,
            role=MembershipRole.LEADER if index == 0 else MembershipRole.MEMBER,
            is_first_secretary=index == 0,
        )
    # R7: the unit's three-year pairing with the township.
    pairing, created = UnitPairing.objects.get_or_create(
        unit=team.unit,
        township=team.village.township,
        defaults={"start_date": date(2024, 3, 1), "end_date": date(2027, 3, 1)},
    )
    if created:
        pairing.villages.add(team.village)
    _rules_scenarios(team=team, teams=teams, office=office, rng=rng)


def _rules_scenarios(*, team: Team, teams: list[Team], office: User, rng: random.Random) -> None:
    """Issue 10's flows: R4 review history, R7 term change, R9 rotations, R25/R32/R36."""
    from teams import services
    from teams.models import SelectionReview, TermChange
    from teams.selectors import current_leaders

    # R4: a cadre rejected once, then approved after more papers; rank and fitness shown.
    reviewed = Cadre.objects.create(
        name=person_name(rng),
        unit=team.unit,
        rank=Rank.SECTION,
        is_outstanding=True,
        fitness_for_duty="fit",
        selection_status=SelectionStatus.PENDING,
    )
    services.cadre_selection_review(
        cadre=reviewed, reviewer=office, approve=False, note="缺少近三年年度考核材料"
    )
    services.cadre_selection_review(
        cadre=reviewed, reviewer=office, approve=True, note="补齐考核材料，优秀科级干部"
    )
    # R4: the pending cadre of the forming team shows its rank and fitness to the reviewer.
    Cadre.objects.filter(selection_status=SelectionStatus.PENDING).update(
        rank=Rank.DIVISION, fitness_for_duty="fit"
    )
    assert SelectionReview.objects.filter(cadre=reviewed).count() == 2
    # R7: a term changed by the office with its reason.
    others = [t for t in teams[4:] if t.pk != team.pk]
    extended = others[1]
    TermChange.objects.create(
        team=extended,
        old_end=extended.term_end,
        new_end=extended.term_end + timedelta(days=182),
        reason="市委组织部通知：脱贫攻坚收官期延长半年",
        changed_by=office,
    )
    Team.objects.filter(pk=extended.pk).update(term_end=extended.term_end + timedelta(days=182))
    # R9: one replacement awaiting the office (the demo team's last member), one approved
    # on another team ten days ago (its replacement's first visits are under way).
    leader_user = team.memberships.get(
        role=MembershipRole.LEADER, end_date__isnull=True
    ).cadre.user
    free = [
        Cadre.objects.create(
            name=person_name(rng), unit=unit, selection_status=SelectionStatus.APPROVED
        )
        for unit in (team.unit, others[0].unit)
    ]
    leaving = team.memberships.filter(role=MembershipRole.MEMBER).order_by("-pk").first()
    services.individual_rotation_request(
        membership=leaving, replacement=free[0], reason="本人身体原因，申请调整", by=leader_user
    )
    other_leaving = others[0].memberships.filter(role=MembershipRole.MEMBER).order_by("pk").first()
    rotation = services.individual_rotation_request(
        membership=other_leaving, replacement=free[1], reason="原单位工作调动", by=office
    )
    services.individual_rotation_approve(
        rotation=rotation,
        by=office,
        arrival_date=date.today() - timedelta(days=10),
        note="经组织程序同意",
    )
    # R36, R25: what the supervision group records about the demo team's cadres.
    supervisor = team.supervision_group.members.first()
    cadres = [m.cadre for m in team.memberships.select_related("cadre").order_by("pk")]
    services.talk_record(
        user=supervisor,
        cadre=cadres[0],
        date=date.today() - timedelta(days=20),
        topic="驻村思想状况与工作困难",
        notes="反映村内饮水工程资金缺口，已转办公室协调。",
    )
    services.talk_record(
        user=office,
        cadre=cadres[1],
        date=date.today() - timedelta(days=40),
        topic="任职谈话",
    )
    services.discipline_record_create(
        user=supervisor,
        cadre=cadres[2],
        date=date.today() - timedelta(days=33),
        prohibition="不准擅离岗位",
        facts="未经请假连续两日不在村，督查组暗访发现。",
        handling="批评教育，责令书面检查。",
    )
    # R32: last quarter's meeting of the leading group with the team leaders.
    leaders = list(current_leaders()[:12])
    services.leaders_meeting_record(
        user=office,
        date=date.today() - timedelta(days=60),
        title="全市驻村工作队队长季度座谈会",
        attendees=leaders[:-2],
        notes="各队汇报季度工作；两名队长请假。",
    )


DEMO_LOGINS = [
    ("office", "Office (admin, city-wide dashboards)"),
    ("supervisor", "Supervision group"),
    ("unit", "Dispatching unit contact"),
    ("banner", "Banner staff"),
    ("township", "Township head"),
    ("village", "Village head"),
    ("leader", "Team leader"),
    ("member", "Team member"),
]
