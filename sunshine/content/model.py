"""The content contract (docs/content-format.md) written as pydantic models.

These classes are the single definition of every record kind: the loader
validates YAML against them, the JSON Schemas under ``/schema/`` are
generated from them, and the templates read them.  Field titles carry the
Chinese element names of the national item-guide standard so that editors
see them in their editor's hover help.

Ids are not YAML keys (they come from file names), so they live in a private
attribute exposed read-only as ``.id``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator
from pydantic_core import PydanticCustomError

SiteLevel = Literal["国家级", "省级", "市级", "县级"]
DepartmentLevel = Literal["中央驻地", "省级", "市级", "县级"]
DepartmentKind = Literal["行政机关", "事业单位", "中介服务机构", "公共服务企业"]
StaffRole = Literal["首席代表", "A岗", "B岗", "工作人员"]
ItemType = Literal[
    "行政许可",
    "行政给付",
    "行政确认",
    "行政裁决",
    "行政奖励",
    "行政征收",
    "其他行政权力",
    "公共服务",
    "便民服务",
]
ITEM_TYPES: tuple[str, ...] = ItemType.__args__  # type: ignore[attr-defined]
ItemStatus = Literal["在办", "暂停", "已取消", "已下放"]
ITEM_STATUSES: tuple[str, ...] = ItemStatus.__args__  # type: ignore[attr-defined]
ChangeAction = Literal["新增", "保留", "调整", "取消", "下放", "合并", "承接"]
Audience = Literal["自然人", "法人", "自然人和法人"]
AUDIENCES: tuple[str, ...] = Audience.__args__  # type: ignore[attr-defined]
MaterialForm = Literal["原件", "复印件", "原件和复印件", "电子件"]
ResultType = Literal["出证", "出文", "审批办结", "其他"]
FeedbackKind = Literal["咨询", "投诉", "建议"]
HandlingType = Literal["即办件", "承诺件"]
RemedyWay = Literal["行政复议", "行政诉讼", "其他"]
DeliveryWay = Literal["窗口领取", "邮寄", "电子送达"]
DisclosureKind = Literal["指南", "年报", "依申请公开", "制度", "其他"]
DISCLOSURE_KINDS: tuple[str, ...] = DisclosureKind.__args__  # type: ignore[attr-defined]

ONLINE_DEPTHS = {
    0: "不可网办",
    1: "网上咨询",
    2: "网上预约/表格下载",
    3: "网上受理，现场领取",
    4: "全程网办",
}

Url = Annotated[
    str, Field(pattern=r"^https?://[^\s/$.?#][^\s]*$", description="http:// 或 https:// 开头的网址")
]
FormPath = Annotated[str, Field(description="forms/ 下的文件路径，如 forms/shenqingbiao.pdf")]
_FORM_RULE = "forms/ 下已有文件的路径（如 forms/shenqingbiao.pdf），不得用 .. 跳出 forms/"
NonNegInt = Annotated[int, Field(ge=0)]

_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date_as_written(value: object) -> object:
    """Accept a YAML date or the text YYYY-MM-DD (a quoted date).

    Numbers are refused: pydantic would read them as Unix time.
    """
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_format", "a date without a time is expected")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE_TEXT.match(value.strip()):
        return value.strip()
    if value is None:
        return value
    raise PydanticCustomError("date_format", "a date written YYYY-MM-DD is expected")


#: A calendar date written YYYY-MM-DD (quoted or not) that exists.
Date = Annotated[dt.date, BeforeValidator(_date_as_written), Field(description="日期，写作 YYYY-MM-DD")]


class Record(BaseModel):
    """Base of every contract model: unknown keys are errors, numbers are accepted where text is expected."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, str_strip_whitespace=True)


class Identified(Record):
    """A record that has a file of its own and therefore an id (the file name)."""

    _id: str = PrivateAttr(default="")
    _file: str = PrivateAttr(default="")

    @property
    def id(self) -> str:
        return self._id

    @property
    def file(self) -> str:
        """The path of the file the record came from, relative to the content root."""
        return self._file


# --- site.yaml -------------------------------------------------------------


class Identifiers(Record):
    model_config = ConfigDict(title="网站标识")
    site_code: str | None = Field(None, title="网站标识码")
    icp: str | None = Field(None, title="ICP备案号")
    police: str | None = Field(None, title="公安备案号")
    sponsor: str | None = Field(None, title="主办单位")


DEFAULT_DEADLINES: dict[str, int] = {"咨询": 2, "投诉": 10, "建议": 15}


class FeedbackSettings(Record):
    model_config = ConfigDict(title="互动设置")
    server_url: Url | None = Field(None, title="互动服务器地址")
    deadlines: dict[FeedbackKind, NonNegInt] = Field(default_factory=dict, title="答复时限（工作日）")

    def deadline(self, kind: str) -> int:
        """Working days allowed to answer a message of this kind (contract default when unset)."""
        return self.deadlines.get(kind, DEFAULT_DEADLINES.get(kind, 15))  # type: ignore[call-overload]


class ReformRound(Record):
    model_config = ConfigDict(title="清理整顿轮次")
    round: int = Field(title="轮次")
    name: str | None = Field(None, title="名称")
    date: Date | None = Field(None, title="日期")
    document: str | None = Field(None, title="文件")


#: A center's id (中心标识): a county's folder name under centers/, or the root's ``id``; its URL prefix.
CenterId = Annotated[str, Field(pattern=r"^[a-z0-9-]+$", description="小写字母、数字和 -，如 luochuan")]

#: The licence of the open data (/data/) when site.yaml names none.
DEFAULT_DATA_LICENSE = ("知识共享署名 4.0 国际许可协议（CC BY 4.0）", "https://creativecommons.org/licenses/by/4.0/deed.zh-hans")


class DataLicense(Record):
    model_config = ConfigDict(title="开放数据许可")
    name: str = Field(DEFAULT_DATA_LICENSE[0], title="许可协议名称")
    url: Url | None = Field(DEFAULT_DATA_LICENSE[1], title="许可协议网址")


class Site(Record):
    model_config = ConfigDict(title="政务服务中心 (site.yaml)")
    id: CenterId | None = Field(
        None,
        title="中心标识",
        description="仅内容根目录的 site.yaml：市中心的标识（默认 city），不得与 centers 中的县级中心重复；"
        "县级中心的标识就是它在 centers/ 下的目录名",
    )
    name: str = Field(title="中心名称")
    short_name: str | None = Field(None, title="简称")
    level: SiteLevel = Field(title="层级")
    region: str | None = Field(None, title="行政区划")
    address: str = Field(title="地址")
    phone: str = Field(title="咨询电话")
    complaint_phone: str = Field(title="监督投诉电话")
    hours: str = Field(title="办公时间")
    email: str | None = Field(None, title="电子邮箱")
    base_url: Url | None = Field(None, title="站点地址")
    identifiers: Identifiers = Field(default_factory=Identifiers, title="网站标识")
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings, title="互动设置")
    reform_rounds: list[ReformRound] = Field(default_factory=list, title="清理整顿轮次")
    centers: list[str] = Field(
        default_factory=list,
        title="县级中心",
        description="仅内容根目录的 site.yaml：centers/ 下每个县级中心的目录名，按门户显示的顺序；"
        "有 centers/ 目录时必填，且其中每个目录都要列出",
    )
    data_license: DataLicense = Field(default_factory=DataLicense, title="开放数据许可")


# --- departments/<id>.yaml ---------------------------------------------------


class Department(Identified):
    model_config = ConfigDict(title="单位 (departments/<id>.yaml)")
    name: str = Field(title="单位名称")
    short_name: str | None = Field(None, title="简称")
    level: DepartmentLevel = Field(title="层级")
    kind: DepartmentKind = Field("行政机关", title="类别")
    address: str | None = Field(None, title="地址")
    phone: str | None = Field(None, title="电话")
    complaint_phone: str | None = Field(None, title="投诉电话")
    hours: str | None = Field(None, title="时间")
    website: str | None = Field(None, title="网站")


# --- windows/<id>.yaml -------------------------------------------------------


class Staff(Record):
    model_config = ConfigDict(title="工作人员")
    name: str = Field(title="姓名")
    role: StaffRole = Field("工作人员", title="岗位")
    badge: str | None = Field(None, title="工号")


class Window(Identified):
    model_config = ConfigDict(title="窗口 (windows/<id>.yaml)")
    name: str = Field(title="窗口名称")
    number: str = Field(title="窗口号")
    area: str | None = Field(None, title="区域/楼层")
    departments: list[str] = Field(
        title="进驻单位", description="单位 id 列表；每个 id 必须是 departments/ 下已有的文件名（不含 .yaml）"
    )
    staff: list[Staff] = Field(default_factory=list, title="工作人员")
    hours: str | None = Field(None, title="时间")
    phone: str | None = Field(None, title="电话")


# --- items/<id>.yaml ---------------------------------------------------------


class Change(Record):
    model_config = ConfigDict(title="变更记录")
    date: Date = Field(title="日期")
    action: ChangeAction = Field(title="变更类型")
    round: int | None = Field(
        None, title="清理轮次", description="必须是 site.yaml 中 reform_rounds 已定义的 round"
    )
    document: str | None = Field(None, title="文件")
    note: str | None = Field(None, title="说明")


class Basis(Record):
    model_config = ConfigDict(title="设定依据")
    law: str = Field(title="法律法规名称")
    article: str | None = Field(None, title="条款")
    text: str | None = Field(None, title="条文内容")


class Material(Record):
    model_config = ConfigDict(title="申请材料")
    name: str = Field(title="材料名称")
    required: bool = Field(True, title="是否必需")
    form: MaterialForm | None = Field(None, title="材料形式")
    copies: NonNegInt | None = Field(None, title="份数")
    source: str | None = Field(None, title="来源渠道")
    note: str | None = Field(None, title="填报须知")
    template: FormPath | None = Field(None, title="空白表格", description=_FORM_RULE)
    sample: FormPath | None = Field(None, title="示例样表", description=_FORM_RULE)


class Step(Record):
    model_config = ConfigDict(title="办理环节")
    step: str = Field(title="环节")
    actor: str | None = Field(None, title="办理人")
    duration: str | None = Field(None, title="时限")
    description: str | None = Field(None, title="说明")


class TimeLimit(Record):
    model_config = ConfigDict(title="办理时限")
    legal: NonNegInt | None = Field(
        None, title="法定办结时限（工作日）", description="0 表示即办；null 表示无法定时限"
    )
    promised: NonNegInt = Field(
        title="承诺办结时限（工作日）", description="0 表示即办；同时填写 legal 时不得超过 legal"
    )
    note: str | None = Field(None, title="说明")


class Fee(Record):
    model_config = ConfigDict(title="收费项目")
    name: str | None = Field(None, title="收费项目")
    standard: str | None = Field(None, title="收费标准")
    basis: str | None = Field(None, title="收费依据")


class Result(Record):
    model_config = ConfigDict(title="办理结果")
    name: str | None = Field(None, title="结果名称")
    type: ResultType | None = Field(None, title="结果类型")
    sample: FormPath | None = Field(None, title="结果样本", description=_FORM_RULE)


class Online(Record):
    model_config = ConfigDict(title="网上办理")
    depth: int = Field(
        0,
        ge=0,
        le=4,
        title="网上办理深度",
        description=(
            "0 不可网办，1 网上咨询，2 网上预约/表格下载，3 网上受理、现场领取，"
            "4 全程网办（此时 visits 必须为 0）"
        ),
    )
    url: Url | None = Field(None, title="网上办理地址")

    @property
    def label(self) -> str:
        return ONLINE_DEPTHS[self.depth]


class Intermediary(Record):
    model_config = ConfigDict(title="中介服务")
    name: str | None = Field(None, title="中介服务事项名称")
    basis: str | None = Field(None, title="设定依据")
    fee: str | None = Field(None, title="收费标准")


class SpecialProcedure(Record):
    model_config = ConfigDict(title="特别程序")
    name: str = Field(
        title="特别程序名称", description="听证、专家评审、公示、检验检测等；所需时间不计入办理时限"
    )
    time_limit: str | None = Field(None, title="时限")
    note: str | None = Field(None, title="说明")


class Remedy(Record):
    model_config = ConfigDict(title="法律救济")
    way: RemedyWay = Field(title="救济途径")
    body: str | None = Field(None, title="受理机关")
    limit: str | None = Field(None, title="申请期限")


class Appointment(Record):
    model_config = ConfigDict(title="预约办理")
    url: Url | None = Field(None, title="网上预约地址")
    phone: str | None = Field(None, title="预约电话")


class Faq(Record):
    model_config = ConfigDict(title="常见问题")
    q: str = Field(title="问题")
    a: str = Field(title="解答（Markdown）")


class Item(Identified):
    model_config = ConfigDict(title="事项 (items/<id>.yaml)")
    name: str = Field(title="事项名称")
    code: str = Field(title="事项编码", description="所有事项之间不得重复")
    base: str | None = Field(
        None,
        title="基本目录事项",
        description="catalog/ 下的基本目录 id：本事项（实施清单）继承该条目中本文件没有写的字段",
    )
    type: ItemType = Field(title="事项类型")
    department: str = Field(
        title="实施主体", description="单位 id：必须是 departments/ 下已有的文件名（不含 .yaml）"
    )
    windows: list[str] = Field(
        default_factory=list,
        title="办理窗口",
        description="窗口 id 列表；每个 id 必须是 windows/ 下已有的文件名",
    )
    status: ItemStatus = Field(
        title="事项状态", description="已取消、已下放的事项仍然公开，但标明状态、不再受理"
    )
    changes: list[Change] = Field(default_factory=list, title="变更记录")
    audience: Audience | None = Field(None, title="服务对象")
    basis: list[Basis] = Field(min_length=1, title="设定依据")
    conditions: str = Field(title="受理条件（Markdown）")
    materials: list[Material] = Field(title="申请材料")
    process: list[Step] = Field(min_length=1, title="办理流程")
    time_limit: TimeLimit = Field(title="办理时限")
    fees: list[Fee] = Field(title="收费")
    result: Result | None = Field(None, title="办理结果")
    visits: NonNegInt = Field(1, title="到现场次数", description="online.depth 为 4（全程网办）时必须为 0")
    online: Online = Field(default_factory=Online, title="网上办理")
    location: str | None = Field(None, title="办理地点")
    hours: str | None = Field(None, title="办理时间")
    consult_phone: str | None = Field(None, title="咨询电话")
    complaint_phone: str | None = Field(None, title="监督投诉电话")
    keywords: list[str] = Field(default_factory=list, title="关键词")
    faq: list[Faq] = Field(default_factory=list, title="常见问题")
    updated: Date = Field(title="更新日期")
    # The further elements of the national guide (contract v2 "More item keys"): all optional.
    handling: HandlingType | None = Field(
        None, title="办件类型", description="即办件 / 承诺件；不填时承诺时限为 0 的是即办件，否则是承诺件"
    )
    joint: list[str] = Field(
        default_factory=list,
        title="联办机构",
        description="单位 id 列表；每个 id 必须是 departments/ 下已有的文件名（不含 .yaml）",
    )
    quantity_limit: str | None = Field(None, title="数量限制", description="如：无数量限制；每年 20 个名额")
    intermediary: list[Intermediary] = Field(default_factory=list, title="中介服务")
    special_procedures: list[SpecialProcedure] = Field(
        default_factory=list, title="特别程序", description="所需时间不计入办理时限"
    )
    refusal_cases: list[str] = Field(default_factory=list, title="不予受理情形")
    rights: str | None = Field(None, title="申请人权利和义务（Markdown）")
    remedies: list[Remedy] = Field(default_factory=list, title="法律救济")
    delivery: list[DeliveryWay] = Field(default_factory=list, title="结果送达方式")
    appointment: Appointment | None = Field(None, title="预约办理")

    @property
    def handling_type(self) -> str:
        """办件类型 as shown: the one written, else 即办件 for a promise of 0 days and 承诺件 otherwise."""
        return self.handling or ("即办件" if self.time_limit.promised == 0 else "承诺件")

    _local_materials: tuple[int, ...] = PrivateAttr(default=())
    _inherited: frozenset[str] = PrivateAttr(default=frozenset())

    @property
    def withdrawn(self) -> bool:
        """Cancelled or devolved: still disclosed, but not offered for application."""
        return self.status in ("已取消", "已下放")

    @property
    def local_materials(self) -> list[Material]:
        """地方自设材料: materials of an item with ``base`` whose names are not in its catalog entry."""
        return [self.materials[i] for i in self._local_materials]

    @property
    def inherited_keys(self) -> frozenset[str]:
        """The keys an item with ``base`` took from its catalog entry rather than setting them itself."""
        return self._inherited

    def form_paths(self) -> list[tuple[str, str]]:
        """Every (field path, forms/ path) this item references, for the existence check."""
        refs: list[tuple[str, str]] = []
        for i, material in enumerate(self.materials):
            if material.template:
                refs.append((f"materials[{i}].template", material.template))
            if material.sample:
                refs.append((f"materials[{i}].sample", material.sample))
        if self.result and self.result.sample:
            refs.append(("result.sample", self.result.sample))
        return refs


# --- catalog/<id>.yaml ------------------------------------------------------


class CatalogTimeLimit(Record):
    model_config = ConfigDict(title="法定时限")
    legal: NonNegInt | None = Field(
        None, title="法定办结时限（工作日）", description="实施清单的承诺时限不得超过它；null 表示无法定时限"
    )


class CatalogEntry(Identified):
    """基本目录: one base item shared by the centers; their items name it with ``base`` and inherit it."""

    model_config = ConfigDict(title="基本目录事项 (catalog/<id>.yaml)")
    name: str = Field(title="事项名称")
    code: str = Field(title="基本编码", description="所有基本目录事项之间不得重复")
    type: ItemType = Field(title="事项类型")
    audience: Audience | None = Field(None, title="服务对象")
    basis: list[Basis] = Field(min_length=1, title="设定依据")
    conditions: str | None = Field(None, title="受理条件（Markdown）")
    materials: list[Material] = Field(default_factory=list, title="申请材料")
    process: list[Step] | None = Field(None, min_length=1, title="办理流程")
    time_limit: CatalogTimeLimit = Field(default_factory=CatalogTimeLimit, title="法定时限")
    fees: list[Fee] | None = Field(None, title="收费")
    result: Result | None = Field(None, title="办理结果")
    keywords: list[str] = Field(default_factory=list, title="关键词")
    faq: list[Faq] = Field(default_factory=list, title="常见问题")


#: Keys an item with ``base`` inherits from its catalog entry when it does not set them itself
#: (``time_limit`` is merged key by key: ``legal`` from the catalog, ``promised`` from the item).
INHERITED_KEYS: tuple[str, ...] = tuple(
    k for k in CatalogEntry.model_fields if k not in ("code", "time_limit")
)


# --- news/*.md and pages/*.md -------------------------------------------------


class News(Identified):
    model_config = ConfigDict(title="新闻 (news/<YYYY-MM-DD>-<id>.md 前置元数据)")
    title: str = Field(title="标题")
    date: Date = Field(title="发布日期")
    source: str | None = Field(None, title="来源")
    author: str | None = Field(None, title="作者")
    summary: str | None = Field(None, title="摘要")
    tags: list[str] = Field(default_factory=list, title="标签")
    _body: str = PrivateAttr(default="")

    @property
    def body(self) -> str:
        """The Markdown body below the front matter."""
        return self._body


class Page(Identified):
    model_config = ConfigDict(title="页面 (pages/<id>.md 前置元数据)")
    title: str = Field(title="标题")
    order: int = Field(0, title="排序")
    menu: bool = Field(False, title="列入主导航")
    updated: Date | None = Field(None, title="更新日期")
    disclosure: DisclosureKind | None = Field(
        None,
        title="政府信息公开类别",
        description="列入“政府信息公开”栏目：指南（公开指南）、年报（年度报告）、依申请公开、制度或其他",
    )
    _body: str = PrivateAttr(default="")

    @property
    def body(self) -> str:
        return self._body


class Synonyms(Record):
    """synonyms.yaml: term → words a citizen uses for it."""

    model_config = ConfigDict(title="搜索同义词 (synonyms.yaml)")
    groups: dict[str, list[str]] = Field(default_factory=dict, title="词条 → 同义词列表")

    @field_validator("groups")
    @classmethod
    def _no_empty_words(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {term: [w for w in words if w and w.strip()] for term, words in value.items()}


RECORD_MODELS: dict[str, type[BaseModel]] = {
    "site": Site,
    "department": Department,
    "window": Window,
    "item": Item,
    "catalog": CatalogEntry,
    "news": News,
    "page": Page,
}
