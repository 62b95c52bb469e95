"""Write the demo's city-wide parts: the 基本目录 (content/catalog/) and two county centers (centers/).

    .venv/bin/python scripts/make_demo_city.py

The root of content/ is the city's own center (延安市政务服务中心), written by
hand.  This script derives the catalog from the city's items (dropping what is
particular to the city: its districts, offices and forms), adds the base
items the counties took over (承接) when the city devolved them, and writes
洛川县 and 延川县 as complete centers whose reform rounds give the figures the
two counties published: 洛川 cleared 323 items and cancelled 149; 延川
cancelled 106 and kept 146 (42.1% by CONTENT-SPEC's definition), and in its
fifth round cancelled or devolved 19.  It also adds ``base:`` to the city's
items that implement a catalog entry.

The output is ordinary YAML and Markdown that editors maintain by hand from
then on; running the script again rewrites catalog/ and centers/ from scratch
(the same every time: the random choices are seeded).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent / "content"

#: Root items the counties implement too: the catalog is derived from them.
SHARED = [
    "canyin-fuwu-xuke",
    "gonggong-changsuo-weisheng-xuke",
    "gongtihu-zhuce-dengji",
    "gongsi-sheli-dengji",
    "qiye-mingcheng-hezhun",
    "yaopin-lingshou-xuke",
    "yancao-lingshou-xuke",
    "jianzhu-shigong-xuke",
    "fangwu-zhuanyi-dengji",
    "hukou-qianyi",
    "jumin-shenfenzheng",
    "jiehun-dengji",
    "zuidi-shenghuo-baozhang",
    "xinnonghe-buchang",
    "jiuye-shiye-dengji",
    "chengxiang-yanglao-canbao",
    "canjiren-zheng",
    "shengyu-fuwuzheng",
    "dusheng-zinv-jiangli",
    "fapiao-daikai",
    "shuiwu-dengji",
    "linshi-yongdi-shenpi",
    "weixian-huaxuepin-jingying-xuke",
    "dianli-baozhuang",
    "zilaishui-baozhuang",
    "jisheng-jiangli-fuzhu",
    "chusheng-yixue-zhengming",
    "shehui-tuanti-dengji",
]

#: Words that make a sentence the city's own (its district, offices, windows): left out of the catalog.
CITY_WORDS = (
    "宝塔",
    "延安",
    "市局",
    "本中心",
    "市食",
    "市政府",
    "市级",
    "市人",
    "市公",
    "市住",
    "市工",
    "窗口",
)

#: Root department → county department.
DEPARTMENT_OF = {
    "anjian": "anjian",
    "baota-hezuo": "hezuo",
    "baota-minzheng": "minzheng",
    "baota-nongye": "nongye",
    "canlian": "canlian",
    "dianli": "dianli",
    "dishui": "dishui",
    "gongan": "gongan",
    "gongshang": "gongshang",
    "gongshui": "gongshui",
    "guihua": "zhujian",
    "guotu": "guotu",
    "guoshui": "guoshui",
    "huanbao": "huanbao",
    "jianshe": "zhujian",
    "jiaotong": "jiaotong",
    "jisheng": "jisheng",
    "minzheng": "minzheng",
    "renshe": "renshe",
    "shiyaojian": "shiyaojian",
    "weisheng": "weisheng",
    "yancao": "yancao",
    "yunguan": "jiaotong",
    "zhijian": "zhijian",
    "zwzx": "zwzx",
}

#: County departments: id → (name after the county's name, kind).
DEPARTMENTS = {
    "anjian": ("安全生产监督管理局", "行政机关"),
    "canlian": ("残疾人联合会", "事业单位"),
    "dianli": ("供电分公司", "公共服务企业"),
    "dishui": ("地方税务局", "行政机关"),
    "fagai": ("发展和改革局", "行政机关"),
    "gongan": ("公安局", "行政机关"),
    "gongshang": ("工商行政管理局", "行政机关"),
    "gongshui": ("自来水公司", "公共服务企业"),
    "guotu": ("国土资源局", "行政机关"),
    "guoshui": ("国家税务局", "行政机关"),
    "hezuo": ("合作医疗管理办公室", "事业单位"),
    "huanbao": ("环境保护局", "行政机关"),
    "jiaotong": ("交通运输局", "行政机关"),
    "jiaoyu": ("教育局", "行政机关"),
    "jisheng": ("人口和计划生育局", "行政机关"),
    "linye": ("林业局", "行政机关"),
    "minzheng": ("民政局", "行政机关"),
    "nongye": ("农业局", "行政机关"),
    "renshe": ("人力资源和社会保障局", "行政机关"),
    "shangwu": ("商务局", "行政机关"),
    "shiyaojian": ("食品药品监督管理局", "行政机关"),
    "shuiwu": ("水务局", "行政机关"),
    "sifa": ("司法局", "行政机关"),
    "weisheng": ("卫生局", "行政机关"),
    "wenti": ("文化广电体育局", "行政机关"),
    "yancao": ("烟草专卖局", "行政机关"),
    "zhijian": ("质量技术监督局", "行政机关"),
    "zhujian": ("住房和城乡建设局", "行政机关"),
    "zwzx": ("政务服务中心管理办公室", "事业单位"),
}

#: County windows: id → (number, name, area, departments).
WINDOWS = {
    "zonghe": ("1", "综合受理窗口", "一楼", ["zwzx", "fagai", "sifa"]),
    "gongshang": ("2", "工商质监窗口", "一楼", ["gongshang", "zhijian"]),
    "shiyaojian": ("3", "食品药品窗口", "一楼", ["shiyaojian"]),
    "gongan": ("4", "公安户政窗口", "一楼", ["gongan"]),
    "minzheng": ("5", "民政残联窗口", "一楼", ["minzheng", "canlian"]),
    "renshe": ("6", "人力资源和社会保障窗口", "一楼", ["renshe"]),
    "shuiwu-fw": ("7", "国税地税窗口", "一楼", ["guoshui", "dishui"]),
    "guotu-zhujian": ("8", "国土住建环保窗口", "二楼", ["guotu", "zhujian", "huanbao"]),
    "weisheng-jisheng": ("9", "卫生计生合疗窗口", "二楼", ["weisheng", "jisheng", "hezuo"]),
    "nongye-linye": ("10", "农林水窗口", "二楼", ["nongye", "linye", "shuiwu"]),
    "jiaotong": ("11", "交通安监窗口", "二楼", ["jiaotong", "anjian"]),
    "wenti-shangwu": ("12", "文体商务教育窗口", "二楼", ["wenti", "shangwu", "jiaoyu", "yancao"]),
    "shuidian": ("13", "水电气报装窗口", "一楼", ["dianli", "gongshui"]),
    "tousu": ("14", "效能投诉窗口", "一楼", ["zwzx"]),
}
WINDOW_OF = {d: w for w, (_, _, _, ds) in WINDOWS.items() for d in ds if w != "tousu"}

#: Items each county department keeps (保留) besides the catalog's: type, legal basis, names.
POOLS: dict[str, tuple[str, str, str]] = {
    "gongshang": (
        "行政许可",
        "《中华人民共和国公司登记管理条例》",
        "个人独资企业设立登记、个人独资企业变更登记、个人独资企业注销登记、合伙企业设立登记、合伙企业变更登记、"
        "合伙企业注销登记、农民专业合作社设立登记、农民专业合作社变更登记、农民专业合作社注销登记、"
        "企业分支机构设立登记、广告经营登记、动产抵押登记、股权出质登记、"
        "商标印制单位备案、集贸市场登记、经纪人执业备案",
    ),
    "zhijian": (
        "行政许可",
        "《中华人民共和国产品质量法》",
        "特种设备使用登记、组织机构代码证核发、计量器具强制检定、计量标准器具核准、工业产品生产许可证初审、"
        "锅炉压力容器安装改造维修告知、气瓶充装许可初审、商品条码注册初审",
    ),
    "shiyaojian": (
        "行政许可",
        "《药品管理法实施条例》",
        "医疗器械经营许可证核发、保健食品经营备案、第二类精神药品零售资格审批",
    ),
    "weisheng": (
        "行政许可",
        "《医疗机构管理条例》",
        "医疗机构设置审批、医疗机构执业登记、医师执业注册、医师变更执业注册、护士执业注册、乡村医生执业注册、"
        "放射诊疗许可、母婴保健技术服务执业许可、饮用水供水单位卫生许可、健康证明办理、个体诊所设置审批",
    ),
    "jisheng": (
        "公共服务",
        "《陕西省人口与计划生育条例》",
        "流动人口婚育证明办理、再生育一孩审批、计划生育技术服务机构执业许可、"
        "病残儿医学鉴定、计划生育手术费用报销",
    ),
    "minzheng": (
        "行政给付",
        "《社会救助暂行办法》",
        "社会团体变更登记、社会团体注销登记、民办非企业单位成立登记、民办非企业单位变更登记、民办非企业单位注销登记、"
        "农村五保供养审批、城乡医疗救助审批、临时救助审批、优抚对象抚恤金给付、义务兵家庭优待金给付、收养登记、"
        "离婚登记、补领婚姻登记证、地名命名更名审批、老年人优待证办理、高龄老人生活补贴发放",
    ),
    "gongan": (
        "行政确认",
        "《中华人民共和国户口登记条例》",
        "出生户口登记、死亡户口注销、户口项目变更更正、暂住证办理、机动车登记、"
        "剧毒化学品购买许可、烟花爆竹道路运输许可、大型群众性活动安全许可、旅馆业特种行业许可、"
        "印章刻制业特种行业许可、典当业特种行业许可、易制毒化学品购买备案、户口迁出、分户登记、往来港澳通行证签发",
    ),
    "renshe": (
        "公共服务",
        "《中华人民共和国社会保险法》",
        "社会保险登记、失业保险金申领、职业技能鉴定、劳动合同备案、特殊工时制度审批、养老保险待遇核定、"
        "城镇职工医疗保险参保登记、企业职工退休审批、人力资源服务许可、高校毕业生就业报到、"
        "小额担保贷款申请审核",
    ),
    "guotu": (
        "行政许可",
        "《中华人民共和国土地管理法》",
        "建设用地预审、土地登记、国有土地使用权出让、采矿权登记、集体建设用地使用审批、土地使用权转让审批、"
        "地质灾害危险性评估备案、土地复垦方案审查、划拨土地使用权审批、土地抵押登记",
    ),
    "zhujian": (
        "行政许可",
        "《中华人民共和国城乡规划法》",
        "房屋租赁登记备案、商品房预售许可、建筑业企业资质审批、房地产开发企业资质核定、城市建筑垃圾处置核准、"
        "临时占用城市道路审批、挖掘城市道路审批、户外广告设置审批、燃气经营许可、物业服务企业资质核定、"
        "建设项目选址意见书核发、城市绿地占用审批、砍伐城市树木审批、"
        "工程建设项目招标备案",
    ),
    "jiaotong": (
        "行政许可",
        "《中华人民共和国道路运输条例》",
        "道路运输从业人员从业资格证核发、机动车维修经营许可、机动车驾驶员培训许可、公路超限运输许可、"
        "占用挖掘公路许可、出租汽车驾驶员从业资格证核发、客运班线经营许可、公路两侧建筑控制区内埋设管线审批",
    ),
    "shuiwu": (
        "行政许可",
        "《中华人民共和国水法》",
        "取水许可变更、水土保持方案审批、河道采砂许可、洪水影响评价审批、水利工程开工审批、入河排污口设置审批、"
        "水资源费征收",
    ),
    "nongye": (
        "行政许可",
        "《中华人民共和国农业法》",
        "农药经营许可、种子经营许可证核发、兽药经营许可证核发、动物防疫条件合格证核发、动物诊疗许可、"
        "拖拉机驾驶证核发、农业机械登记、农作物种子生产许可、农机购置补贴发放、饲料经营备案、动物及动物产品检疫",
    ),
    "linye": (
        "行政许可",
        "《中华人民共和国森林法》",
        "木材运输证核发、林地占用征收审核、野生动物驯养繁殖许可、林木种子经营许可、植物检疫证书核发、"
        "森林防火期野外用火审批、退耕还林补助发放、林权登记、木材经营加工许可",
    ),
    "shangwu": (
        "行政许可",
        "《酒类流通管理办法》",
        "酒类零售许可、再生资源回收经营者备案、成品油零售经营资格初审、对外贸易经营者备案登记、单用途商业预付卡备案",
    ),
    "wenti": (
        "行政许可",
        "《娱乐场所管理条例》",
        "娱乐场所经营许可、营业性演出许可、出版物零售许可、印刷经营许可、卫星电视地面接收设施安装许可、"
        "高危险性体育项目经营许可、音像制品零售许可",
    ),
    "jiaoyu": (
        "行政许可",
        "《中华人民共和国民办教育促进法》",
        "民办学校设立审批、教师资格认定、幼儿园办园许可、学生资助申请审核、教师资格证补发、义务教育阶段转学审批",
    ),
    "fagai": (
        "其他行政权力",
        "《国务院关于投资体制改革的决定》",
        "企业投资项目核准、企业投资项目备案、固定资产投资项目节能评估审查、政府投资项目可行性研究报告审批、"
        "招标方案核准",
    ),
    "sifa": (
        "公共服务",
        "《法律援助条例》",
        "法律援助申请审查、基层法律服务工作者执业核准、人民调解员资格认定、司法鉴定委托",
    ),
    "huanbao": (
        "行政许可",
        "《中华人民共和国环境保护法》",
        "污染物排放许可证核发、建设项目环境保护设施验收、辐射安全许可、排放污染物申报登记、建设项目试生产审批",
    ),
    "anjian": (
        "行政许可",
        "《中华人民共和国安全生产法》",
        "烟花爆竹经营（零售）许可、非药品类易制毒化学品经营备案、特种作业人员操作资格证核发",
    ),
    "guoshui": (
        "其他行政权力",
        "《中华人民共和国税收征收管理法》",
        "增值税一般纳税人资格认定、发票领购、增值税专用发票最高开票限额审批、税收减免审批、车辆购置税征收、"
        "外出经营活动税收管理证明开具",
    ),
    "dishui": (
        "行政征收",
        "《中华人民共和国税收征收管理法》",
        "个人所得税完税证明开具、房产税减免审批、城镇土地使用税减免审批、契税征收、营业税减免审批、社会保险费征收",
    ),
    "yancao": (
        "行政许可",
        "《中华人民共和国烟草专卖法实施条例》",
        "烟草专卖品准运证核发",
    ),
    "canlian": (
        "行政给付",
        "《中华人民共和国残疾人保障法》",
        "残疾人就业培训补贴发放、贫困残疾人生活补助发放、残疾人辅助器具适配、残疾人机动轮椅车燃油补贴发放",
    ),
    "dianli": ("公共服务", "《供电营业规则》", "高压用电报装、用电变更（增容或减容）、临时用电报装"),
    "gongshui": ("公共服务", "《城市供水条例》", "用水变更（过户或改装）、临时用水报装"),
}

#: Departments serving people rather than businesses: their items have no annual inspection to cancel.
PERSONAL = frozenset(
    {"gongan", "minzheng", "renshe", "jisheng", "canlian", "sifa", "dianli", "gongshui", "dishui", "guoshui"}
)

#: What the 2011 clearing cancelled most: annual inspections, pre-approvals and qualification checks.
CANCELLED_SUFFIXES = ("年度检验", "前置审查", "资格审核")

#: Base items (基本目录) that counties took over (承接) when the city devolved them, written out in full.
DEVOLVED: dict[str, dict[str, Any]] = {
    "putong-huoyun-xuke": {
        "conditions": (
            "申请人应当有与其经营业务相适应并经检测合格的车辆，"
            "有符合条件的驾驶人员，有健全的安全生产管理制度。"
        ),
        "materials": [
            {"name": "道路货物运输经营申请表", "form": "原件", "copies": 1},
            {"name": "负责人身份证明及经办人身份证明和委托书", "form": "原件和复印件", "copies": 1},
            {"name": "机动车辆行驶证、车辆技术等级评定结论", "form": "复印件", "copies": 1},
            {"name": "聘用驾驶人员的从业资格证", "form": "复印件", "copies": 1},
            {"name": "安全生产管理制度文本", "form": "原件", "copies": 1},
        ],
        "process": [
            {"step": "申请与受理", "duration": "当场"},
            {"step": "审查", "duration": "10 个工作日"},
            {"step": "决定与发证", "duration": "3 个工作日"},
        ],
    },
    "huanping-dengjibiao": {
        "conditions": "对环境影响很小、不需要进行环境影响评价的建设项目，建设单位应当填报环境影响登记表。",
        "materials": [
            {"name": "建设项目环境影响登记表", "form": "原件", "copies": 3},
            {"name": "项目立项或备案文件", "form": "复印件", "copies": 1},
            {"name": "项目选址图和平面布置图", "form": "原件", "copies": 1},
        ],
        "process": [
            {"step": "申请与受理", "duration": "当场"},
            {"step": "审查", "duration": "3 个工作日"},
            {"step": "批复", "duration": "2 个工作日"},
        ],
    },
    "minban-zhiye-jieshao": {
        "conditions": (
            "有明确的机构章程、固定的场所和必要的设施，"
            "有 5 名以上取得职业资格证书的专职工作人员，有一定数额的开办资金。"
        ),
        "materials": [
            {"name": "设立申请书", "form": "原件", "copies": 1},
            {"name": "机构章程和管理制度草案", "form": "原件", "copies": 1},
            {"name": "场所使用权证明", "form": "复印件", "copies": 1},
            {"name": "专职工作人员的职业资格证书", "form": "复印件", "copies": 1},
        ],
        "process": [
            {"step": "申请与受理", "duration": "当场"},
            {"step": "实地核查", "duration": "5 个工作日"},
            {"step": "审批决定", "duration": "5 个工作日"},
        ],
    },
}

#: Base items no city office handles (a county's affair): the portal lists the city as not implementing them.
COUNTY_ONLY: dict[str, dict[str, Any]] = {
    "linmu-caifa-xuke": {
        "name": "林木采伐许可证核发",
        "type": "行政许可",
        "audience": "自然人和法人",
        "basis": [{"law": "《中华人民共和国森林法》", "article": "第三十二条"}],
        "conditions": (
            "采伐林木必须申请采伐许可证，"
            "按许可证的规定进行采伐；农村居民采伐自留地和房前屋后个人所有的零星林木除外。"
        ),
        "materials": [
            {"name": "林木采伐申请书", "form": "原件", "copies": 1},
            {"name": "林木权属证明", "form": "复印件", "copies": 1},
            {"name": "伐区调查设计文件", "form": "原件", "copies": 1},
        ],
        "process": [
            {"step": "申请与受理", "duration": "当场"},
            {"step": "伐区核查", "duration": "5 个工作日"},
            {"step": "审批发证", "duration": "3 个工作日"},
        ],
        "fees": [],
        "result": {"name": "林木采伐许可证", "type": "出证"},
        "keywords": ["砍树", "伐树", "采伐证"],
        "time_limit": {"legal": 20},
    },
    "qushui-xuke": {
        "name": "取水许可",
        "type": "行政许可",
        "audience": "自然人和法人",
        "basis": [{"law": "《取水许可和水资源费征收管理条例》", "article": "第二条、第十四条"}],
        "conditions": "直接从江河、湖泊或者地下取用水资源的单位和个人，应当申请领取取水许可证。",
        "materials": [
            {"name": "取水申请书", "form": "原件", "copies": 1},
            {"name": "建设项目水资源论证报告", "form": "原件", "copies": 1},
            {"name": "与第三者利害关系的相关说明", "form": "原件", "copies": 1},
        ],
        "process": [
            {"step": "申请与受理", "duration": "当场"},
            {"step": "审查", "duration": "15 个工作日"},
            {"step": "决定", "duration": "5 个工作日"},
        ],
        "fees": [
            {
                "name": "水资源费",
                "standard": "按取水量和省定标准计征",
                "basis": "《陕西省水资源费征收管理办法》",
            }
        ],
        "result": {"name": "取水许可证", "type": "出证"},
        "keywords": ["打井", "取水证"],
        "time_limit": {"legal": 45},
    },
    "wangba-jingying-xuke": {
        "name": "互联网上网服务营业场所经营许可",
        "type": "行政许可",
        "audience": "法人",
        "basis": [{"law": "《互联网上网服务营业场所管理条例》", "article": "第七条、第十一条"}],
        "conditions": (
            "有与其经营活动相适应的营业场所，计算机台数、营业面积符合规定，有健全的网络和信息安全管理制度。"
        ),
        "materials": [
            {"name": "申请书", "form": "原件", "copies": 1},
            {"name": "名称预先核准通知书", "form": "复印件", "copies": 1},
            {"name": "营业场所产权证明或租赁合同", "form": "复印件", "copies": 1},
            {"name": "消防安全检查合格意见书", "form": "复印件", "copies": 1},
        ],
        "process": [
            {"step": "申请与受理", "duration": "当场"},
            {"step": "实地检查", "duration": "10 个工作日"},
            {"step": "审批决定", "duration": "5 个工作日"},
        ],
        "fees": [],
        "result": {"name": "网络文化经营许可证", "type": "出证"},
        "keywords": ["开网吧", "网吧"],
        "time_limit": {"legal": 20},
    },
}

#: Materials counties add on their own (地方自设): what the comparison page exists to show.
LOCAL_MATERIALS = (
    "村（居）民委员会出具的证明",
    "户口所在地乡镇人民政府（街道办事处）证明",
    "申请人近期一寸免冠照片",
    "经营场所周边邻里意见书",
)


# --- writing --------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """YAML as the demo's editors write it: lists indented under their key, text blocks with |, no aliases."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _citywide(text: str | None) -> bool:
    return bool(text) and not any(word in text for word in CITY_WORDS)


def _scrub_conditions(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if _citywide(p)]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else "符合法律法规规定的申请条件。\n"


def _scrub(
    entry: dict[str, Any], keys: tuple[str, ...], keep: tuple[str, ...] = ("name", "step")
) -> dict[str, Any]:
    """``entry`` without ``keys`` and without the city's own wording (the names of things are kept)."""
    return {
        k: v
        for k, v in entry.items()
        if k not in keys and (k in keep or not (isinstance(v, str) and not _citywide(v)))
    }


def catalog_entry(n: int, item_id: str, item: dict[str, Any]) -> dict[str, Any]:
    """The base item (基本目录) a city item stands for, without what is the city's own."""
    entry: dict[str, Any] = {"name": item["name"], "code": f"6106-JBML-{n:03d}", "type": item["type"]}
    if item.get("audience"):
        entry["audience"] = item["audience"]
    entry["basis"] = item["basis"]
    extra = DEVOLVED.get(item_id, {})
    entry["conditions"] = extra.get("conditions") or _scrub_conditions(item["conditions"])
    materials = extra.get("materials") or [_scrub(m, ("template", "sample")) for m in item["materials"]]
    entry["materials"] = materials
    entry["process"] = extra.get("process") or [_scrub(s, ()) for s in item["process"]]
    entry["time_limit"] = {"legal": item["time_limit"].get("legal")}
    entry["fees"] = item["fees"]
    if item.get("result"):
        entry["result"] = {k: v for k, v in item["result"].items() if k != "sample"}
    if item.get("keywords"):
        entry["keywords"] = item["keywords"]
    faq = [f for f in item.get("faq", []) if _citywide(f["q"]) and _citywide(f["a"])]
    if faq:
        entry["faq"] = faq
    return entry


def add_base_to_city_items(ids: list[str]) -> None:
    """``base: <id>`` on the city's own items that implement a catalog entry (the line after ``code:``)."""
    for item_id in ids:
        path = ROOT / "items" / f"{item_id}.yaml"
        text = path.read_text(encoding="utf-8")
        if re.search(r"^base:", text, re.M):
            continue
        text = re.sub(r"^(code: .*\n)", rf"\1base: {item_id}\n", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")


# --- a county -------------------------------------------------------------------------------------


@dataclass
class County:
    """One county center: its site, and the plan of its reform rounds."""

    id: str
    name: str
    region_code: str
    site: dict[str, Any]
    #: round number → (date, document)
    rounds: dict[int, tuple[dt.date, str]]
    seed: int
    skip: tuple[str, ...] = ()
    items: dict[str, dict[str, Any]] = field(default_factory=dict)
    seq: int = 0

    def code(self) -> str:
        self.seq += 1
        return f"{self.region_code}-{self.seq:04d}"


def _change(county: County, number: int, action: str, note: str | None = None) -> dict[str, Any]:
    date, document = county.rounds[number]
    change: dict[str, Any] = {"date": date, "action": action, "round": number, "document": document}
    if note:
        change["note"] = note
    return change


def _slug(name: str, taken: set[str]) -> str:
    """An item id as the city's are written: the pinyin of each word, words joined by -."""
    import rjieba
    from pypinyin import lazy_pinyin

    words = ["".join(lazy_pinyin(w)) for w in rjieba.cut(name)]
    text = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    base = text if len(text) <= 60 else text[:60].rsplit("-", 1)[0]
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def local_item(
    county: County, rnd: random.Random, department: str, name: str, status: str, changes: list[dict[str, Any]]
) -> dict[str, Any]:
    """An item of the county's own (not in the catalog), written out in full."""
    item_type, law, _ = POOLS[department]
    legal = rnd.choice([None, 10, 15, 20, 30])
    promised = (
        rnd.choice([0, 3, 5, 7])
        if legal is None
        else rnd.choice([legal // 2, legal // 3 or 1, legal // 4 or 1])
    )
    withdrawn = status in ("已取消", "已下放")
    item: dict[str, Any] = {
        "name": name,
        "code": county.code(),
        "type": item_type,
        "department": department,
    }
    if not withdrawn:
        item["windows"] = [WINDOW_OF[department]]
    item["status"] = status
    item["changes"] = changes
    item["audience"] = rnd.choice(["自然人", "法人", "自然人和法人"])
    item["basis"] = [{"law": law}]
    if withdrawn:
        last = changes[-1]
        item["conditions"] = (
            f"本事项已于 {last['date'].isoformat()} {last['action']}，{county.name}政务服务中心不再受理。\n"
        )
        item["materials"] = []
        item["process"] = [{"step": "不再受理", "description": last.get("note") or "本事项已不再受理。"}]
    else:
        item["conditions"] = f"申请{name}，应当符合{law}规定的条件，材料齐全、符合法定形式。\n"
        item["materials"] = [
            {"name": f"{name}申请表", "form": "原件", "copies": 1, "source": "窗口领取"},
            {"name": "申请人身份证明", "form": "原件和复印件", "copies": 1, "source": "申请人自备"},
            *(
                [{"name": "相关证明材料", "form": "复印件", "copies": 1, "source": "申请人自备"}]
                if rnd.random() < 0.5
                else []
            ),
        ]
        item["process"] = [
            {"step": "申请与受理", "actor": "窗口A岗", "duration": "当场"},
            {
                "step": "审查",
                "actor": "承办股室",
                "duration": f"{promised - 1} 个工作日" if promised > 1 else "当场",
            },
            {"step": "决定", "actor": "首席代表", "duration": "1 个工作日" if promised else "当场"},
        ]
    item["time_limit"] = {"legal": legal, "promised": promised}
    item["fees"] = []
    depth = 0 if withdrawn else rnd.choice([0, 0, 1, 2])
    if depth:
        item["online"] = {
            "depth": depth,
            "url": f"https://zwfw.{county.id}.example.gov.cn/wsbs/{county.seq:04d}",
        }
    item["updated"] = changes[-1]["date"] if changes else dt.date(2011, 10, 8)
    return item


def implementation(
    county: County, rnd: random.Random, entry_id: str, entry: dict[str, Any], changes: list[dict[str, Any]]
) -> dict[str, Any]:
    """A county's item implementing a catalog entry (实施清单): its own keys, the rest inherited."""
    root_department = entry["department"]
    department = DEPARTMENT_OF.get(root_department, root_department)
    legal = entry["time_limit"].get("legal")
    catalog_promised = entry["promised"]
    if legal is not None:
        promised = min(legal, max(0, catalog_promised + rnd.choice([-5, -3, 0, 0, 2, 5, 10])))
    else:
        promised = max(0, catalog_promised + rnd.choice([-2, 0, 0, 3, 5]))
    item: dict[str, Any] = {
        "code": county.code(),
        "base": entry_id,
        "department": department,
        "windows": [WINDOW_OF[department]],
        "status": "在办",
        "changes": changes,
        "time_limit": {"promised": promised},
    }
    if rnd.random() < 0.45 and entry["materials"]:
        extra = rnd.choice(LOCAL_MATERIALS)
        item["materials"] = [
            *entry["materials"],
            {"name": extra, "form": "原件", "copies": 1, "source": "申请人自备"},
        ]
    if rnd.random() < 0.2 and not entry["fees"]:
        item["fees"] = [{"name": "工本费", "standard": "每证 5 元", "basis": f"{county.name}物价局核定"}]
    visits = rnd.choice([0, 1, 1, 2, 2, 3])
    depth = rnd.choice([0, 1, 2, 2, 3])
    if visits == 0:
        depth = 4
    item["visits"] = visits
    if depth:
        item["online"] = {"depth": depth, "url": f"https://zwfw.{county.id}.example.gov.cn/wsbs/{entry_id}"}
    item["updated"] = changes[-1]["date"] if changes else dt.date(2011, 10, 8)
    return item


@dataclass
class Group:
    """Items of a county that went through its rounds alike: ``count`` of its own, or these catalog ids."""

    #: round number → action, in order (the item's change records).
    history: list[tuple[int, str]]
    status: str
    count: int = 0
    catalog: list[str] = field(default_factory=list)
    #: Draw the names from the cancelled-style pool (年度检验, 前置审查 …) rather than the kept one.
    cancelled_names: bool = False


NOTES = {
    "取消": "取消审批，改为事后监管。",
    "下放": "下放至各乡镇便民服务中心办理。",
    "合并": "与同类事项合并为一项办理。",
    "承接": "承接市级下放的事项，进驻县政务服务中心办理。",
    "新增": "依据新出台的法规新增。",
    "调整": "压缩承诺时限，减少申请材料。",
}


def write_county(county: County, catalog: dict[str, dict[str, Any]], groups: list[Group]) -> None:
    """Write centers/<id>/: site, departments, windows, and the items of ``groups``."""
    rnd = random.Random(county.seed)
    root = ROOT / "centers" / county.id
    if root.exists():
        shutil.rmtree(root)
    dump(root / "site.yaml", county.site)
    for dep_id, (name, kind) in DEPARTMENTS.items():
        record = {"name": f"{county.name}{name}", "level": "县级", "kind": kind}
        dump(root / "departments" / f"{dep_id}.yaml", record)
    for win_id, (number, name, area, departments) in WINDOWS.items():
        dump(
            root / "windows" / f"{win_id}.yaml",
            {"name": name, "number": number, "area": area, "departments": departments},
        )

    kept_names: list[tuple[str, str]] = []
    cancelled_names: list[tuple[str, str]] = []
    for department, (_, _, names) in POOLS.items():
        for name in names.split("、"):
            kept_names.append((department, name))
            if department in PERSONAL or name.endswith(
                ("备案", "发放", "给付", "报装", "征收", "申领", "办理")
            ):
                continue
            stem = re.sub(r"(登记|审批|核发|许可|认定|核准|审查|审核|注册|初审)$", "", name)
            cancelled_names.extend((department, stem + suffix) for suffix in CANCELLED_SUFFIXES)
    rnd.shuffle(kept_names)
    rnd.shuffle(cancelled_names)
    taken = set(catalog)

    def changes_of(group: Group) -> list[dict[str, Any]]:
        return [_change(county, number, action, NOTES.get(action)) for number, action in group.history]

    for group in groups:
        for entry_id in group.catalog:
            county.items[entry_id] = implementation(
                county, rnd, entry_id, catalog[entry_id], changes_of(group)
            )
        for _ in range(group.count):
            department, name = (cancelled_names if group.cancelled_names else kept_names).pop()
            item_id = _slug(name, taken)
            county.items[item_id] = local_item(county, rnd, department, name, group.status, changes_of(group))
    for item_id, item in county.items.items():
        dump(root / "items" / f"{item_id}.yaml", item)


def write_extras(county: County, news: list[tuple[str, str, str]], page: tuple[str, str, str]) -> None:
    """A county's news (date-id, title, body), one page and its synonyms."""
    root = ROOT / "centers" / county.id
    for stem, title, body in news:
        date = stem[:10]
        text = f"---\ntitle: {title}\ndate: {date}\nsource: {county.name}政务服务中心\n---\n{body}\n"
        (root / "news").mkdir(parents=True, exist_ok=True)
        (root / "news" / f"{stem}.md").write_text(text, encoding="utf-8")
    page_id, title, body = page
    (root / "pages").mkdir(parents=True, exist_ok=True)
    (root / "pages" / f"{page_id}.md").write_text(
        f"---\ntitle: {title}\norder: 1\nmenu: true\nupdated: 2011-10-08\n---\n{body}\n", encoding="utf-8"
    )
    dump(root / "synonyms.yaml", {"林木采伐许可": ["砍树证", "采伐证"], "互联网上网服务营业场所": ["网吧"]})


def build_catalog() -> dict[str, dict[str, Any]]:
    """Write content/catalog/; return id → entry (with the city item's department and promised limit)."""
    folder = ROOT / "catalog"
    if folder.exists():
        shutil.rmtree(folder)
    out: dict[str, dict[str, Any]] = {}
    n = 0
    for item_id in [*SHARED, *DEVOLVED]:
        n += 1
        item = load(ROOT / "items" / f"{item_id}.yaml")
        entry = catalog_entry(n, item_id, item)
        dump(folder / f"{item_id}.yaml", entry)
        out[item_id] = {
            **entry,
            "department": item["department"],
            "promised": item["time_limit"]["promised"],
            "status": "shared" if item_id in SHARED else "devolved",
        }
    departments = {"linmu-caifa-xuke": "linye", "qushui-xuke": "shuiwu", "wangba-jingying-xuke": "wenti"}
    for item_id, spec in COUNTY_ONLY.items():
        n += 1
        entry = {
            "name": spec["name"],
            "code": f"6106-JBML-{n:03d}",
            **{k: v for k, v in spec.items() if k != "name"},
        }
        dump(folder / f"{item_id}.yaml", entry)
        out[item_id] = {**entry, "department": departments[item_id], "promised": 10, "status": "shared"}
    return out


def _site(name: str, address: str, phone: str, complaint: str, code: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"{name}政务服务中心",
        "short_name": f"{name[:2]}政务中心",
        "level": "县级",
        "region": f"陕西省延安市{name}",
        "address": address,
        "phone": phone,
        "complaint_phone": complaint,
        "hours": "周一至周五 上午 8:30—12:00，下午 14:30—18:00",
        "identifiers": {"site_code": code, "sponsor": f"{name}政务服务中心管理办公室"},
        **extra,
    }


def build_demo() -> None:
    catalog = build_catalog()
    add_base_to_city_items([*SHARED, *DEVOLVED])
    devolved = [i for i in catalog if catalog[i]["status"] == "devolved"]
    county_only = list(COUNTY_ONLY)

    luochuan = County(
        "luochuan",
        "洛川县",
        "610629",
        _site(
            "洛川县", "洛川县凤栖镇凤栖街 68 号县政务服务中心", "0911-3621166", "0911-3621100", "6106290001"
        ),
        # No rounds of its own: the city's rounds apply (CONTENT-SPEC); these are the county's notices.
        {1: (dt.date(2009, 8, 20), "洛政发〔2009〕36号"), 2: (dt.date(2011, 10, 10), "洛政发〔2011〕52号")},
        seed=629,
        skip=("chusheng-yixue-zhengming", "jiuye-shiye-dengji", "linshi-yongdi-shenpi", "fapiao-daikai"),
    )
    based = [i for i in SHARED if i not in luochuan.skip] + county_only
    # 洛川, second round: 323 cleared — 取消 149, 下放 18, 合并 9, 保留 120, 调整 27 (精简率 54.5%);
    # first round: 60 cleared — 取消 21, 下放 4, 保留 35.
    luochuan_groups = [
        Group([(1, "取消")], "已取消", count=21, cancelled_names=True),
        Group([(1, "下放")], "已下放", count=4),
        Group([(1, "保留"), (2, "调整")], "在办", catalog=based[:12]),
        Group([(1, "保留"), (2, "保留")], "在办", catalog=based[12:20]),
        Group([(1, "保留"), (2, "保留")], "在办", count=15),
        Group([(2, "保留")], "在办", catalog=based[20:]),
        Group([(2, "调整")], "在办", count=15),
        Group([(2, "保留")], "在办", count=120 - 15 - 15),
        Group([(2, "取消")], "已取消", count=149, cancelled_names=True),
        Group([(2, "下放")], "已下放", count=18),
        Group([(2, "合并")], "已取消", count=9),
        Group([(2, "承接")], "在办", catalog=devolved),
        Group([(2, "承接")], "在办", count=1),
        Group([(2, "新增")], "在办", count=3),
    ]
    assert len(based) == 27
    write_county(luochuan, catalog, luochuan_groups)
    write_extras(
        luochuan,
        [
            (
                "2011-10-12-qingli-jieguo",
                "我县第二轮行政审批事项清理结果公布",
                "按照市政府统一部署，县政府以洛政发〔2011〕52号文公布第二轮清理结果："
                "清理事项 323 项，取消 149 项，下放乡镇 18 项，合并 9 项，保留 147 项。"
                "保留事项全部进驻县政务服务中心，清单在本站逐项公开。",
            ),
            (
                "2011-11-02-chengjie-shixiang",
                "市级下放事项在县中心窗口开办",
                "市政府第二轮清理下放的普通货运经营许可、环境影响登记表审批等事项，已在县政务服务中心相应窗口开办，"
                "群众和企业不必再到市里办理。",
            ),
        ],
        (
            "banshi-xuzhi",
            "办事须知",
            "请携带本人身份证件原件。材料不全的，窗口一次性告知需要补正的全部内容。",
        ),
    )

    yanchuan = County(
        "yanchuan",
        "延川县",
        "610622",
        _site(
            "延川县",
            "延川县大禹街 15 号县政务服务中心",
            "0911-8112233",
            "0911-8112200",
            "6106220001",
            reform_rounds=[
                {
                    "round": 4,
                    "name": "第四轮行政审批事项清理",
                    "date": dt.date(2011, 6, 30),
                    "document": "延川政发〔2011〕21号",
                },
                {
                    "round": 5,
                    "name": "第五轮行政审批事项清理",
                    "date": dt.date(2013, 8, 20),
                    "document": "延川政发〔2013〕37号",
                },
            ],
        ),
        {
            4: (dt.date(2011, 6, 30), "延川政发〔2011〕21号"),
            5: (dt.date(2013, 8, 20), "延川政发〔2013〕37号"),
        },
        seed=622,
        skip=(
            "shehui-tuanti-dengji",
            "weixian-huaxuepin-jingying-xuke",
            "jisheng-jiangli-fuzhu",
            "qiye-mingcheng-hezhun",
            "chusheng-yixue-zhengming",
        ),
    )
    based = [i for i in SHARED if i not in yanchuan.skip] + county_only
    assert len(based) == 26
    # 延川, fourth round: 取消 106, 保留 130, 调整 16 → 252 cleared, 精简率 42.1%;
    # fifth round reviews the 146 kept: 取消 12, 下放 7 (19 cancelled or devolved), 保留 127.
    yanchuan_groups = [
        Group([(4, "取消")], "已取消", count=106, cancelled_names=True),
        Group([(4, "调整"), (5, "保留")], "在办", catalog=based[:16]),
        Group([(4, "保留"), (5, "保留")], "在办", catalog=based[16:]),
        Group([(4, "保留"), (5, "保留")], "在办", count=127 - 26),
        Group([(4, "保留"), (5, "取消")], "已取消", count=12),
        Group([(4, "保留"), (5, "下放")], "已下放", count=7),
        Group([(4, "承接")], "在办", catalog=devolved),
        Group([(4, "承接")], "在办", count=3),
        Group([(4, "新增")], "在办", count=4),
    ]
    write_county(yanchuan, catalog, yanchuan_groups)
    write_extras(
        yanchuan,
        [
            (
                "2011-07-05-disilun-qingli",
                "我县第四轮行政审批事项清理完成",
                "县政府以延川政发〔2011〕21号文公布清理结果：取消 106 项，保留 146 项，精简率 42.1%。",
            ),
            (
                "2013-08-26-diwulun-qingli",
                "第五轮清理：再取消和下放 19 项",
                "县政府以延川政发〔2013〕37号文公布第五轮清理结果，"
                "在第四轮保留的 146 项中取消 12 项、下放乡镇 7 项，保留 127 项。",
            ),
        ],
        ("banshi-xuzhi", "办事须知", "中心实行首问负责、一次性告知和限时办结，办事群众可在 14 号窗口投诉。"),
    )


def main() -> None:
    build_demo()
    print(f"wrote {ROOT / 'catalog'} and {ROOT / 'centers'}")


if __name__ == "__main__":
    main()
