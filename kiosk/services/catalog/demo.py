"""A reproducible demo catalog: thousands of plausible service items for a Guangdong city (清远市).

The demo terminal, the screenshots and the search benchmark all load a catalog made here instead of a real
center's export. What each service asks (conditions, materials, fees, time limits, legal bases) and where it sits
(department, categories, 一件事 themes) follows the way Guangdong's guides put it, from the templates in
``kiosk.services.catalog.demo_content``; addresses, phone numbers and window numbers are made up, and item codes
are the demo's own. It is demo content, not guidance for a real application.

Same ``count`` and ``seed`` give byte-identical JSON, and a smaller catalog is a prefix of a larger one with the
same seed. Items come in order of how natural they read:

1. every item template at city level (the only items that belong to 一件事 themes);
2. the same templates for each county (``社保卡补换卡（英德市）``);
3. channel and applicant variants (``（全程网办）``, ``（跨省通办）``, ``（港澳台居民）``, …);
4. town-level items for the items towns handle (``最低生活保障申请（英德市大站镇）``);
5. village proxy items (``…（英德市大站镇上坪村代办）``), as many as a benchmark asks for.

Command line: ``python -m kiosk.services.catalog.demo OUT.json [--count N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.domain.catalog import CATALOG_FORMAT
from kiosk.services.catalog.demo_content import (
    CATEGORIES,
    CITY,
    CITY_ADMIN,
    CONDITIONS,
    DEPARTMENTS,
    FORM_NOTE,
    LAWS,
    MATERIALS,
    NO_FORM,
    THEMES,
    Dept,
    Group,
    MaterialSpec,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_COUNT",
    "DEFAULT_SEED",
    "THEMES",
    "generate_catalog",
    "main",
    "write_catalog",
]

DEFAULT_COUNT = 5200
DEFAULT_SEED = 20261122

AREA_CODE = "0763"
GUIDE_URL = "https://www.gdzwfw.gov.cn/portal/guide/"

# (administrative code, name, short name, towns and streets)
_COUNTIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("441802", "清城区", "清城", ("凤城街道", "东城街道", "洲心街道", "横荷街道", "源潭镇", "龙塘镇", "石角镇",
                                 "飞来峡镇")),
    ("441803", "清新区", "清新", ("太和镇", "太平镇", "山塘镇", "三坑镇", "龙颈镇", "禾云镇", "浸潭镇", "石潭镇")),
    ("441881", "英德市", "英德", ("英城街道", "大站镇", "望埠镇", "横石水镇", "桥头镇", "青塘镇", "白沙镇", "浛洸镇",
                                 "大洞镇", "东华镇", "连江口镇", "九龙镇", "黄花镇", "石灰铺镇", "石牯塘镇", "沙口镇",
                                 "水边镇", "西牛镇", "黎溪镇", "波罗镇", "横石塘镇", "大湾镇", "英红镇")),
    ("441882", "连州市", "连州", ("连州镇", "星子镇", "大路边镇", "龙坪镇", "西岸镇", "保安镇", "丰阳镇", "东陂镇",
                                 "九陂镇", "西江镇")),
    ("441821", "佛冈县", "佛冈", ("石角镇", "汤塘镇", "龙山镇", "水头镇", "迳头镇", "高岗镇")),
    ("441823", "阳山县", "阳山", ("阳城镇", "七拱镇", "太平镇", "杜步镇", "黎埠镇", "小江镇", "青莲镇", "江英镇",
                                 "杨梅镇", "大崀镇", "岭背镇", "黄坌镇", "秤架瑶族乡")),
    ("441825", "连山壮族瑶族自治县", "连山", ("吉田镇", "太保镇", "禾洞镇", "永和镇", "福堂镇", "小三江镇", "上帅镇")),
    ("441826", "连南瑶族自治县", "连南", ("三江镇", "寨岗镇", "大麦山镇", "香坪镇", "大坪镇", "涡水镇", "三排镇")),
)  # fmt: skip

_ROADS = ("府前路", "人民一路", "北江路", "建设大道", "先锋路", "和平路", "新城东路", "沿江路", "凤鸣路", "连江路",
          "文化路", "解放路", "东风路", "城南大道", "环城路")  # fmt: skip
_VILLAGE_HEADS = "上下大小新老东西南北石黄白沙水横龙马长高江竹松桃莲凤金罗陈李"
_VILLAGE_TAILS = "坑塘岭坪围田洞寨冲坳排岗湾口山溪背陂"

# --- what each option and word adds ------------------------------------------------------------------

# Without h=, look-ups, card services and payments are 即办件 and the rest 承诺件.
_ON_THE_SPOT_WORDS = (
    "查询", "打印", "挂失", "解挂", "启用", "密码", "缴纳", "缴费", "预约", "激活", "即时", "投诉",
)  # fmt: skip
# Items a citizen does not fill in a form for: a look-up, a payment, a complaint, a booking.
_NO_FORM_WORDS = ("查询", "打印", "缴纳", "缴费", "投诉", "举报", "预约", "激活", "认证")
_ACTION_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("挂失", ("挂失", "丢了")),
    ("补领", ("补办",)),
    ("补发", ("补办",)),
    ("补换", ("补办",)),
    ("补证", ("补办",)),
    ("密码", ("密码",)),
    ("换领", ("换证",)),
    ("换发", ("换证",)),
    ("换证", ("换证",)),
    ("注销", ("注销",)),
    ("变更", ("改信息",)),
    ("查询", ("查询",)),
    ("打印", ("打印",)),
    ("证明", ("开证明",)),
    ("提取", ("取钱",)),
    ("户口迁", ("迁户口",)),
    ("报销", ("报销",)),
    ("补贴", ("补贴",)),
    ("津贴", ("补贴",)),
    ("补助", ("补贴",)),
    ("救助", ("救助",)),
    ("缴纳", ("缴费",)),
    ("许可", ("办证",)),
    ("核发", ("办证",)),
    ("退休", ("退休",)),
)

# variant -> (keyword it adds, condition it adds, material it adds or swaps, group flags it applies to)
_VARIANTS: dict[str, tuple[str, str, str, str]] = {
    "全程网办": ("网上办", "可通过粤省事小程序或广东政务服务网在线提交，全程无需到现场。", "online", "pe"),
    "跨省通办": ("异地办", "户籍或参保地在省外的，可在本地窗口提交申请，由窗口协助转办。", "", "c"),
    "委托代办": ("代办", "本人不便到场的，可委托亲属或村（居）代办员代为办理。", "wt!", "p"),
    "港澳台居民": ("港澳台", "港澳台居民凭港澳台居民居住证或往来内地通行证办理。", "hkmo", "p"),
    "告知承诺制": ("承诺制", "申请人书面承诺符合条件并提交告知承诺书的，当场作出决定。", "pledge", "e"),
    "容缺受理": ("容缺", "主要材料齐全、次要材料暂缺的，可先行受理，限期补齐。", "", "e"),
}
_TOWN_CONDITION = "可就近到所在镇（街）党群服务中心提交申请，由镇（街）受理后转办。"
_POLICE_TOWN_CONDITION = "可到户籍所在地或居住地的派出所户籍窗口办理。"
_VILLAGE_CONDITION = "可到村（社区）党群服务中心或粤智助自助机，由代办员协助提交，办理结果送达到村。"
_ONLINE_NOTE = "网上办理时上传原件照片或扫描件；可用电子证照的免交"

_HALL_HOURS = (  # most halls keep the first; a few open on Saturdays or keep the summer hours
    "周一至周五 9:00-12:00，14:00-17:30",
    "周一至周六 9:00-12:00，14:00-17:30（法定节假日除外）",
    "周一至周五 8:30-12:00，14:30-17:30",
)
_TOWN_HOURS = "周一至周五 8:30-12:00，14:30-17:30"
_VILLAGE_HOURS = "工作日 8:30-12:00，14:30-17:30（农忙时节请先电话预约）"
_SELF_SERVICE_HOURS = "24小时自助"


@dataclass(frozen=True, slots=True)
class _Template:
    index: int
    dept: Dept
    group: Group
    name: str
    themes: tuple[str, ...]
    categories: tuple[str, ...]
    conditions: tuple[str, ...]
    laws: tuple[str, ...]
    fee: str
    on_the_spot: bool
    days: int
    materials: tuple[str, ...]
    keywords: tuple[str, ...]


def _keys(value: str) -> tuple[str, ...]:
    return tuple(k for k in value.split(",") if k)


def _parse_templates() -> tuple[_Template, ...]:
    """Every item template, each checked against the rules a guide keeps (1-3 categories, conditions and legal
    bases, known themes and materials)."""
    out: list[_Template] = []
    for dept in DEPARTMENTS:
        seen: set[str] = set()
        for group in dept.groups:
            for line in group.items:
                name, *options = line.split("|")
                if name in seen:
                    raise ValueError(f"demo catalog: duplicate item {name!r} in {dept.name}")
                seen.add(name)
                opts = dict(o.split("=", 1) for o in options)
                spot = opts["h"] == "即" if "h" in opts else any(w in name for w in _ON_THE_SPOT_WORDS)
                tpl = _Template(
                    index=len(out), dept=dept, group=group, name=name,
                    themes=_keys(opts.get("t", "")),
                    categories=_keys(opts["g"]) if "g" in opts else group.categories,
                    conditions=(*group.conditions, *(CONDITIONS[k] for k in _keys(opts.get("r", "")))),
                    laws=_laws(group, opts),
                    fee=opts.get("f", "不收费"),
                    on_the_spot=spot,
                    days=int(opts.get("d", group.days)),
                    materials=_keys(opts.get("m", "")),
                    keywords=_keys(opts.get("k", "")),
                )  # fmt: skip
                _check(tpl)
                out.append(tpl)
    return tuple(out)


def _laws(group: Group, opts: dict[str, str]) -> tuple[str, ...]:
    """The group's legal bases (or, with ``L=``, the item's own instead) and the item's ``l=`` ones."""
    base = [LAWS[k] for k in _keys(opts["L"])] if "L" in opts else list(group.laws)
    return tuple(_unique([*base, *(LAWS[k] for k in _keys(opts.get("l", "")))]))


def _check(tpl: _Template) -> None:
    where = f"demo catalog: {tpl.name}"
    if not 2 <= len(tpl.categories) <= 3 or not set(tpl.categories) <= set(CATEGORIES):
        raise ValueError(f"{where}: categories {tpl.categories}")
    if not 1 <= len(tpl.conditions) <= 3 or not 1 <= len(tpl.laws) <= 3:
        raise ValueError(f"{where}: {len(tpl.conditions)} conditions, {len(tpl.laws)} legal bases")
    if not set(tpl.themes) <= set(THEMES) or not set(tpl.materials) <= {*MATERIALS, NO_FORM}:
        raise ValueError(f"{where}: unknown theme or material")
    if not tpl.on_the_spot and not 3 <= tpl.days <= 20:
        raise ValueError(f"{where}: a promise of {tpl.days} working days")


@dataclass(frozen=True, slots=True)
class _Profile:
    """What stays the same for one template wherever it is offered (fixed per seed, independent of order)."""

    department: tuple[str, str]
    categories: tuple[str, ...]
    keywords: tuple[str, ...]
    conditions: tuple[str, ...]
    materials: tuple[MaterialSpec, ...]
    laws: tuple[str, ...]
    variants: tuple[str, ...]


def _stable(seed: int, key: str) -> int:
    return zlib.crc32(f"{seed}|{key}".encode())


def _unique(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


_TEMPLATES = _parse_templates()


def _profile(tpl: _Template, seed: int) -> _Profile:
    """The facts come from the template; the seed only picks which search words and channels (variants) an item
    has, and whether a service that may be handled by someone else lists the power of attorney."""
    rng = random.Random(_stable(seed, f"template|{tpl.dept.abbr}|{tpl.name}"))
    group, dept = tpl.group, tpl.dept
    action: list[str] = []
    for word, adds in _ACTION_KEYWORDS:
        if word in tpl.name:
            action.extend(adds)
    keywords = _unique([*tpl.keywords, *group.keywords[: rng.randint(1, 2)], *action])
    for extra in (*dept.keywords, *group.keywords):
        if len(keywords) >= 2:
            break
        keywords = _unique([*keywords, extra])
    keywords = keywords[:5]
    keys = [k for k in _unique([*group.materials, *tpl.materials]) if k != NO_FORM]
    materials: list[MaterialSpec] = [MATERIALS[k] for k in keys]
    if not any(w in tpl.name for w in _NO_FORM_WORDS) and NO_FORM not in tpl.materials:
        base = tpl.name.split("（")[0]
        form = base + ("表" if base.endswith(("申请", "申领", "登记", "申报")) else "申请表")
        form = f"《{form}》" if len(base) <= 12 else "《业务申请表》"
        materials.append((form, True, 1, FORM_NOTE))
    in_person = "i" in group.flags
    reported = any(w in tpl.name for w in ("投诉", "举报", "预约"))  # anyone may report or book: no proxy
    if "p" in group.flags and not in_person and not reported and MATERIALS["wt"] not in materials:
        materials.append(MATERIALS["wt"])
    if "e" in group.flags and "p" not in group.flags:
        materials.append(MATERIALS["agent_e"])
    applicable = [v for v, spec in _VARIANTS.items() if set(spec[3]) & set(group.flags)]
    if "x" in group.flags:  # services for mainland residents only
        applicable = [v for v in applicable if v != "港澳台居民"]
    if in_person:  # the applicant must come: no proxy, and nothing done wholly online
        applicable = [v for v in applicable if v not in ("委托代办", "全程网办")]
    if any(w in tpl.name for w in ("查询", "打印", "投诉", "举报", "预约")):
        # nobody needs a proxy or a permit to look something up
        applicable = [v for v in applicable if v in ("全程网办", "跨省通办")]
    elif tpl.on_the_spot and "全程网办" in applicable and rng.random() < 0.5:
        applicable.remove("全程网办")  # counter-only items are not always online
    if tpl.on_the_spot and "告知承诺制" in applicable:
        applicable.remove("告知承诺制")  # decided on the spot already
    variants = tuple(sorted(rng.sample(applicable, min(len(applicable), rng.randint(1, 2))),
                            key=list(_VARIANTS).index))  # fmt: skip
    return _Profile(
        (dept.code, dept.name),
        tpl.categories,
        tuple(keywords),
        tpl.conditions,
        tuple(materials[:6]),
        tpl.laws,
        variants,
    )


# --- places ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Place:
    admin: str
    name: str  # 清远市 / 英德市
    short: str  # 清远 / 英德
    towns: tuple[str, ...]
    is_city: bool


_CITY_PLACE = _Place(CITY_ADMIN, CITY, "清远", _COUNTIES[0][3] + _COUNTIES[1][3], True)
_PLACES = (_CITY_PLACE, *(_Place(a, n, s, t, False) for a, n, s, t in _COUNTIES))
_TOWN_CODES = {
    (p.admin, t): f"{p.admin}{n:03d}"
    for p in _PLACES[1:]
    for offset, towns in ((0, [t for t in p.towns if t.endswith("街道")]),
                          (100, [t for t in p.towns if not t.endswith("街道")]))
    for n, t in enumerate(towns, start=offset + 1)
}  # fmt: skip
"""A town's nine-digit code: its county's code, then streets 001…, towns and townships 101…"""


def _town_short(town: str) -> str:
    for suffix in ("瑶族乡", "街道", "镇", "乡"):
        if town.endswith(suffix):
            return town[: -len(suffix)]
    return town


def _police(place: _Place) -> str:
    """The police bureau of a place: 清远市公安局, 清远市公安局清城分局 (districts), 英德市公安局."""
    if place.is_city:
        return f"{CITY}公安局"
    return f"{CITY}公安局{place.short}分局" if place.name.endswith("区") else f"{place.name}公安局"


def _traffic_police(place: _Place) -> str:
    if place.is_city:
        return f"{CITY}公安局交通警察支队车辆管理所"
    if place.name.endswith("区"):
        return f"{CITY}公安局交通警察支队{place.short}大队车管业务窗口"
    return f"{place.name}公安局交通警察大队车管业务窗口"


def _tax_bureau(place: _Place) -> str:
    """国家税务总局清远市税务局, 国家税务总局清远市清城区税务局 (districts), 国家税务总局英德市税务局."""
    if place.is_city:
        return f"国家税务总局{CITY}税务局"
    return (
        f"国家税务总局{CITY}{place.name}税务局"
        if place.name.endswith("区")
        else f"国家税务总局{place.name}税务局"
    )


class _Builder:
    """Turns (template, place, variant, town, village) into catalog items; holds the per-seed caches."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.profiles: dict[int, _Profile] = {}
        self.counters: dict[str, int] = {}
        self.phones: dict[str, str] = {}
        self.addresses: dict[str, str] = {}
        self.villages: dict[str, list[str]] = {}
        # updates fall between 2025-01-01 and a "last export" day in late 2026 that moves with the seed
        first = date(2025, 1, 1)
        span = (date(2026, 12, 31) - first).days + 1 - _stable(seed, "last export") % 60
        self.days = [(first + timedelta(days=n)).isoformat() for n in range(span)]

    # -- stable per-seed facts (the same answer whatever the order of asking)

    def profile(self, tpl: _Template) -> _Profile:
        prof = self.profiles.get(tpl.index)
        if prof is None:
            prof = self.profiles[tpl.index] = _profile(tpl, self.seed)
        return prof

    def phone(self, key: str) -> str:
        phone = self.phones.get(key)
        if phone is None:
            h = _stable(self.seed, f"phone|{key}")
            phone = self.phones[key] = f"{AREA_CODE}-{3 + h % 6}{h // 7 % 1_000_000:06d}"
        return phone

    def address(self, place: _Place, key: str, town: str | None = None) -> str:
        full = f"{place.admin}|{town}|{key}"
        address = self.addresses.get(full)
        if address is None:
            h = _stable(self.seed, f"address|{full}")
            road = _ROADS[h % len(_ROADS)]
            number = 1 + h // 31 % 180
            if town is not None:
                address = f"{CITY}{_county(place, town).name}{town}{road}{number}号"
            elif place.is_city:
                address = f"{CITY}清城区{road}{number}号"
            else:
                address = f"{CITY}{place.name}{road}{number}号"
            self.addresses[full] = address
        return address

    def village_names(self, county: _Place, town: str) -> list[str]:
        """The town's villages, in a fixed order per seed (the pool is large enough for any benchmark)."""
        key = f"{county.admin}|{town}"
        names = self.villages.get(key)
        if names is None:
            pool = [h + t + "村" for h in _VILLAGE_HEADS for t in _VILLAGE_TAILS if h != t]
            random.Random(_stable(self.seed, f"villages|{key}")).shuffle(pool)
            names = self.villages[key] = pool
        return names

    def next_code(self, dept: Dept, admin: str) -> str:
        key = f"{admin}-{dept.abbr}"
        n = self.counters.get(key, 0) + 1
        self.counters[key] = n
        return f"{key}-{n:05d}"

    # -- locations

    def hall(self, tpl: _Template, place: _Place, town: str) -> dict[str, str]:
        """The counter that handles the item at county or city level (``town`` picks the police station)."""
        kind = tpl.group.hall
        name, key = {
            "police": (f"{_police(_county(place, town))}{_town_short(town)}派出所户籍窗口", "police"),
            "exit": (f"{_police(place)}出入境管理{'支队' if place.is_city else '大队'}办证大厅", "exit"),
            "traffic": (_traffic_police(place), "traffic"),
            "tax": (f"{_tax_bureau(place)}办税服务厅", "tax"),
            "gjj": (f"{CITY}住房公积金管理中心" + ("服务大厅" if place.is_city else f"{place.short}管理部"), "gjj"),
            "bdc": (f"{place.name}不动产登记中心服务大厅", "bdc"),
            "marriage": (f"{place.name}婚姻登记处", "marriage"),
            "archive": (f"{place.name}档案馆查档接待室", "archive"),
            "library": (f"{place.name}图书馆总服务台", "library"),
        }.get(kind, (None, "center"))  # fmt: skip
        if kind == "hospital" and ("出生" in tpl.name or "死亡" in tpl.name):
            desk = "出生医学证明办理窗口" if "出生" in tpl.name else "医务科"
            name, key = f"{place.name}人民医院{desk}", "hospital"
        if name is None:
            window = 1 + _stable(self.seed, f"window|{place.admin}|{tpl.dept.abbr}") % 36
            name = f"{place.name}政务服务中心{window}号窗口"
            hours = _HALL_HOURS[_stable(self.seed, f"hours|{place.admin}") % 10 // 4]
        else:
            hours = _HALL_HOURS[0]
        address = self.address(place, key, town if key == "police" else None)
        return {"name": name, "address": address, "hours": hours, "phone": self.phone(name)}

    def town_location(self, place: _Place, town: str) -> dict[str, str]:
        county = _county(place, town)
        name = f"{county.name}{town}党群服务中心"
        return {
            "name": name,
            "address": self.address(county, "town", town),
            "hours": _TOWN_HOURS,
            "phone": self.phone(name),
        }

    def village_location(
        self, place: _Place, town: str, village: str, *, self_service: bool
    ) -> dict[str, str]:
        where = f"{CITY}{_county(place, town).name}{town}{village}"
        phone = self.phone(where)
        if self_service:
            return {
                "name": f"粤智助政务服务自助机（{town}{village}）",
                "address": f"{where}党群服务中心一楼",
                "hours": _SELF_SERVICE_HOURS,
                "phone": phone,
            }
        return {
            "name": f"{town}{village}党群服务中心",
            "address": f"{where}党群服务中心",
            "hours": _VILLAGE_HOURS,
            "phone": phone,
        }

    # -- one item

    def build(
        self, tpl: _Template, place: _Place, variant: str | None, town: str | None, village: str | None
    ) -> dict[str, object]:
        random_ = self.rng.random
        prof = self.profile(tpl)

        suffix = "" if variant is None else f"（{variant}）"
        if village is not None:
            suffix += f"（{place.name}{town}{village}代办）"
        elif town is not None:
            suffix += f"（{place.name}{town}）"
        elif not place.is_city:
            suffix += f"（{place.name}）"
        code = self.next_code(tpl.dept, place.admin if town is None else _TOWN_CODES[(place.admin, town)])

        if tpl.on_the_spot or variant == "告知承诺制":  # a pledge is decided on the spot
            handling_type, days = "即办件", (0 if random_() < 0.7 else 1)
        else:
            # counties often promise less than the city's statutory limit
            cut = 0 if place.is_city else _PROMISE_CUTS[int(random_() * len(_PROMISE_CUTS))]
            handling_type, days = "承诺件", min(20, max(3, tpl.days - cut))
        online: str | None = f"{GUIDE_URL}{code}"
        if village is not None or (variant != "全程网办" and random_() < 0.2):
            online = None

        flags, police = tpl.group.flags, tpl.group.hall == "police"
        if town is not None and police:
            locations = [self.hall(tpl, place, town)]  # the town's own police station
        elif town is not None:
            locations = [self.town_location(place, town)]
            if village is None:
                locations.append(self.hall(tpl, place, town))
            else:
                locations.append(self.village_location(place, town, village, self_service=False))
                if random_() < 0.5:
                    locations.append(self.village_location(place, town, village, self_service=True))
        else:
            some_town = place.towns[int(random_() * len(place.towns))]
            locations = [self.hall(tpl, place, some_town)]
            if "t" in flags and not police and random_() < 0.5:
                locations.append(self.town_location(place, some_town))
                if "v" in flags and random_() < 0.4:
                    villages = self.village_names(_county(place, some_town), some_town)
                    some_village = villages[int(random_() * 12)]
                    locations.append(self.village_location(place, some_town, some_village, self_service=True))
            elif tpl.on_the_spot and "i" not in flags and random_() < 0.25:
                locations.append({"name": f"{place.name}政务服务中心7×24小时自助服务区",
                                  "address": self.address(place, "center"), "hours": _SELF_SERVICE_HOURS,
                                  "phone": self.phone(f"{place.name}政务服务中心")})  # fmt: skip

        keywords, conditions, materials = prof.keywords, prof.conditions, prof.materials
        if variant is not None:
            keyword, condition, material, _ = _VARIANTS[variant]
            keywords = (*_unique([*keywords[:4], keyword]),)
            conditions = (*conditions[:3], condition)
            materials = _with_variant_material(materials, material)
        if town is not None:
            keywords = (*_unique([*keywords[:4], "镇上办" if village is None else "村里办"]),)
            here = _POLICE_TOWN_CONDITION if police else _TOWN_CONDITION
            conditions = (*conditions[:3], here if village is None else _VILLAGE_CONDITION)

        day = self.days[int(random_() * len(self.days))]
        second = int(random_() * _WORKDAY_SECONDS) + _WORKDAY_START
        version = _VERSION_TABLE[int(random_() * len(_VERSION_TABLE))]
        return {
            "code": code,
            "name": tpl.name + suffix,
            "department": {"code": prof.department[0], "name": prof.department[1]},
            "categories": list(prof.categories),
            "themes": list(tpl.themes) if place.is_city and variant is None and town is None else [],
            "keywords": list(keywords),
            "handling": {
                "type": handling_type,
                "time_limit_days": days,
                "fee": tpl.fee,
                "online_url": online,
                "locations": locations,
            },
            "conditions": list(conditions),
            "materials": [{"name": m[0], "required": m[1], "copies": m[2], "note": m[3]} for m in materials],
            "legal_basis": list(prof.laws),
            "version": version,
            "updated_at": f"{day}T{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}+08:00",
            "deleted": False,
        }


_PROMISE_CUTS = (0, 0, 1, 2, 5)
_VERSION_TABLE = (1,) * 50 + (2,) * 25 + (3,) * 13 + (4,) * 8 + (5,) * 4
_WORKDAY_START = 8 * 3600 + 30 * 60
_WORKDAY_SECONDS = 18 * 3600 - _WORKDAY_START


def _county(place: _Place, town: str) -> _Place:
    """The county a town belongs to (city-level items pick towns of the two urban districts)."""
    if not place.is_city:
        return place
    return _PLACES[1] if town in _PLACES[1].towns else _PLACES[2]


def _with_variant_material(materials: tuple[MaterialSpec, ...], key: str) -> tuple[MaterialSpec, ...]:
    if key == "hkmo":  # the residence permit or travel permit stands in for the ID card
        hkmo = MATERIALS["hkmo"]
        swapped = tuple(hkmo if m is MATERIALS["id"] else m for m in materials)
        return swapped if hkmo in swapped else (hkmo, *materials[:5])
    if key == "wt!":  # the power of attorney becomes required
        wt = MATERIALS["wt"]
        return (*[m for m in materials if m is not wt][:5], (wt[0], True, wt[2], "代办人办理时必须提供"))
    if key == "online":  # nothing is brought: originals are photographed or scanned and uploaded
        return tuple(
            (name, required, copies, "在线填写，无需另交纸质表格")
            if note == FORM_NOTE
            else (name.removesuffix("原件"), required, 1, _ONLINE_NOTE)
            for name, required, copies, note in materials
            if "委托" not in name  # nobody comes, so nobody comes on someone's behalf
        )
    if key:
        return (*materials[:5], MATERIALS[key])
    return materials


# --- the order of the stream ---------------------------------------------------------------------------

_Slot = tuple[_Template, _Place, str | None, str | None, str | None]


def _slots(builder: _Builder) -> Iterator[_Slot]:
    counties = _PLACES[1:]
    for place in _PLACES:  # 1 and 2: every template, city first, then each county
        for tpl in _TEMPLATES:
            yield tpl, place, None, None, None
    for place in _PLACES:  # 3: variants
        for tpl in _TEMPLATES:
            for variant in builder.profile(tpl).variants:
                yield tpl, place, variant, None, None
    town_lists = [[(c, t) for t in c.towns] for c in counties]
    towns = list(_round_robin(town_lists))
    town_templates = [t for t in _TEMPLATES if "t" in t.group.flags]
    for county, town in towns:  # 4: towns, spread over the counties
        for tpl in town_templates:
            yield tpl, county, None, town, None
    village_templates = [t for t in _TEMPLATES if "v" in t.group.flags]
    depth = len(builder.village_names(*towns[0]))  # every town draws from the same pool
    for n in range(depth):  # 5: village proxies, one more village per town each round
        for county, town in towns:
            village = builder.village_names(county, town)[n]
            for tpl in village_templates:
                yield tpl, county, None, town, village


def _round_robin(rows: list[list[tuple[_Place, str]]]) -> Iterator[tuple[_Place, str]]:
    longest = max(len(r) for r in rows)
    for i in range(longest):
        for row in rows:
            if i < len(row):
                yield row[i]


# --- the API -------------------------------------------------------------------------------------------


def generate_catalog(count: int = DEFAULT_COUNT, *, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Return a catalog document ``{"format": "kiosk-catalog/1", "items": [...]}`` with ``count`` items.

    Deterministic for a given ``count`` and ``seed``; the first ``n`` items do not depend on ``count``.
    """
    if count < 0:
        raise ValueError("count must not be negative")
    builder = _Builder(seed)
    items: list[dict[str, object]] = []
    # The items hold no reference cycles; pausing the cyclic collector while a hundred thousand of them are
    # built roughly halves the time (it would otherwise rescan the growing list again and again).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if count:
            for tpl, place, variant, town, village in _slots(builder):
                items.append(builder.build(tpl, place, variant, town, village))
                if len(items) >= count:
                    break
    finally:
        if collecting:
            gc.enable()
    if len(items) < count:
        raise ValueError(f"the demo catalog holds at most {len(items)} items")
    return {"format": CATALOG_FORMAT, "items": items}


def write_catalog(path: str | os.PathLike[str], count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> int:
    """Write the demo catalog to ``path`` as UTF-8 JSON (one item per line); return the number of items."""
    document = generate_catalog(count, seed=seed)
    items = document["items"]
    assert isinstance(items, list)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"format": ' + json.dumps(CATALOG_FORMAT) + ', "items": [')
        for i, item in enumerate(items):
            f.write("\n" if i == 0 else ",\n")
            f.write(json.dumps(item, ensure_ascii=False))
        f.write("\n]}\n" if items else "]}\n")
    return len(items)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.services.catalog.demo",
        description="Write a reproducible demo catalog (kiosk-catalog/1).",
    )
    parser.add_argument("out", metavar="OUT.json", help="file to write")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help=f"items (default {DEFAULT_COUNT})")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    args = parser.parse_args(argv)
    try:
        written = write_catalog(args.out, args.count, args.seed)
    except (ValueError, OSError) as exc:
        print(f"demo_catalog: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {written} items to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
