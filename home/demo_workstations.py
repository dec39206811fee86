"""Demo data for the workstation directory: the district centre, the 13 street/town
workstations and a few guidance stations.

Street names are public administrative facts; every address, phone number and opening time
is made up and says so (示例 addresses, 021-0000-xxxx numbers). Idempotent: stations are
looked up by name, and the directory page by its slug under the home page.
"""

from __future__ import annotations

from decimal import Decimal

from home.workstations.models import StationService, Street, Workstation, WorkstationIndexPage

SERVICES = [
    ("family-education", "家庭教育指导"),
    ("counselling", "心理咨询"),
    ("legal-aid", "法律援助"),
    ("mandatory-reporting", "强制报告受理"),
    ("minors-in-difficulty", "困境未成年人帮扶"),
    ("case-consultation", "个案会商"),
    ("parent-child", "亲子活动"),
]

WORKSTATION_SERVICES = [
    "family-education",
    "counselling",
    "mandatory-reporting",
    "minors-in-difficulty",
    "parent-child",
]
GUIDANCE_SERVICES = ["family-education", "parent-child"]
HOURS = "周一至周五 9:00–17:00（示例）"

# (street, latitude, longitude): rough positions inside each street/town, for the demo map only.
STREET_POSITIONS = [
    (Street.TIANPINGLU, "31.205000", "121.443000"),
    (Street.HUNANLU, "31.213000", "121.448000"),
    (Street.XIETULU, "31.192000", "121.462000"),
    (Street.FENGLINLU, "31.199000", "121.454000"),
    (Street.CHANGQIAO, "31.142000", "121.444000"),
    (Street.TIANLIN, "31.176000", "121.420000"),
    (Street.HONGMEILU, "31.168000", "121.398000"),
    (Street.KANGJIANXINCUN, "31.160000", "121.421000"),
    (Street.XUJIAHUI, "31.193000", "121.437000"),
    (Street.LINGYUNLU, "31.152000", "121.434000"),
    (Street.LONGHUA, "31.172000", "121.457000"),
    (Street.CAOHEJING, "31.167000", "121.436000"),
    (Street.HUAJING, "31.122000", "121.455000"),
]

GUIDANCE_STATIONS = [
    ("徐家汇街道家庭教育指导服务站（示例）", Street.XUJIAHUI, "31.190500", "121.432500"),
    ("田林街道家庭教育指导服务站（示例）", Street.TIANLIN, "31.179500", "121.415000"),
    ("长桥街道家庭教育指导服务站（示例）", Street.CHANGQIAO, "31.137500", "121.448500"),
    ("华泾镇家庭教育指导服务站（示例）", Street.HUAJING, "31.118000", "121.460500"),
]


def demo_stations() -> list[dict]:
    stations = [
        {
            "name": "徐汇区未成年人保护中心（示例）",
            "kind": Workstation.Kind.DISTRICT_CENTRE,
            "street": Street.XUJIAHUI,
            "address": "徐汇区示例路 100 号（示例地址）",
            "phone": "021-0000-1234",
            "opening_hours": HOURS,
            "latitude": Decimal("31.188000"),
            "longitude": Decimal("121.440000"),
            "services": [slug for slug, _name in SERVICES],
            "description": "<p>统筹全区未成年人保护工作，接收强制报告，组织个案会商，指导各街镇工作站。</p>",
            "sort_order": 0,
        }
    ]
    for number, (street, latitude, longitude) in enumerate(STREET_POSITIONS, start=1):
        stations.append(
            {
                "name": f"{street.label}未成年人保护工作站（示例）",
                "kind": Workstation.Kind.WORKSTATION,
                "street": street,
                "address": f"徐汇区{street.label}示例路 {number * 10} 号（示例地址）",
                "phone": f"021-0000-{2000 + number:04d}",
                "opening_hours": HOURS,
                "latitude": Decimal(latitude),
                "longitude": Decimal(longitude),
                "services": WORKSTATION_SERVICES,
                "description": f"<p>{street.label}的未成年人保护工作站：儿童督导员和儿童主任"
                "在这里为辖区家庭提供服务。</p>",
                "sort_order": number,
            }
        )
    for number, (name, street, latitude, longitude) in enumerate(GUIDANCE_STATIONS, start=1):
        stations.append(
            {
                "name": name,
                "kind": Workstation.Kind.GUIDANCE_STATION,
                "street": street,
                "address": f"徐汇区{street.label}示例社区中心 {number} 楼（示例地址）",
                "phone": f"021-0000-{3000 + number:04d}",
                "opening_hours": "周二、周四 13:30–17:00，周六 9:00–11:30（示例）",
                "latitude": Decimal(latitude),
                "longitude": Decimal(longitude),
                "services": GUIDANCE_SERVICES,
                "description": "<p>社区家庭教育指导服务站点：家长课堂、亲子活动和一对一家庭教育咨询。</p>",
                "sort_order": 100 + number,
            }
        )
    return stations


def create_demo_workstations(home=None) -> list[Workstation]:
    """Create the demo services, stations and (under ``home``) the directory page; idempotent."""
    services = {}
    for order, (slug, name) in enumerate(SERVICES):
        services[slug], _created = StationService.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )
    stations = []
    for data in demo_stations():
        data = dict(data)
        service_slugs = data.pop("services")
        station, created = Workstation.objects.get_or_create(name=data.pop("name"), defaults=data)
        if created:
            station.services.set([services[slug] for slug in service_slugs])
        stations.append(station)
    if home is not None and not WorkstationIndexPage.objects.exists():
        page = WorkstationIndexPage(
            title="未保工作站地图",
            slug="workstations",
            show_in_menus=True,
            intro="区未保中心、13 个街镇未保工作站和社区家庭教育指导服务站点的地址、电话和服务。"
            "以下地址和电话均为示例数据。",
        )
        home.add_child(instance=page)
        page.save_revision().publish()
    return stations
