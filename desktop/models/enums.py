"""Closed vocabularies of the registers. Stored as their Chinese value, which is also what prints."""

from __future__ import annotations

from enum import StrEnum


class VillageKind(StrEnum):
    VILLAGE = "村"
    COMMUNITY = "社区"


class Sex(StrEnum):
    MALE = "男"
    FEMALE = "女"


class ResidenceType(StrEnum):
    PERMANENT = "常住"
    TEMPORARY = "暂住"
    FLOATING = "流动"
    WORKING_AWAY = "外出务工"


class PersonState(StrEnum):
    """Whether a person is still on the township's books. Nobody is ever hard-deleted."""

    REGISTERED = "在册"
    MOVED_OUT = "迁出"
    DECEASED = "死亡"


class Relation(StrEnum):
    HEAD = "户主"
    SPOUSE = "配偶"
    CHILD = "子女"
    PARENT = "父母"
    GRANDCHILD = "孙子女"
    SIBLING = "兄弟姐妹"
    OTHER = "其他"


class DrugCategory(StrEnum):
    USER = "吸毒"
    RELAPSE = "复吸"
    TRAFFICKING_RECORD = "贩毒前科"
    OTHER = "其他涉毒"


class DrugStatus(StrEnum):
    """A key person's status over time; the current one is always the latest history entry."""

    COMMUNITY_REHAB = "社区戒毒"
    COMMUNITY_RECOVERY = "社区康复"
    COMPULSORY_REHAB = "强制隔离戒毒中"
    AWAITING_HANDOVER = "出所待接茬"
    ABSTINENT_3Y = "戒断三年未复吸"
    LOST_CONTACT = "失联"
    DECEASED = "死亡"
    MOVED_OUT = "迁出"


class Role(StrEnum):
    ADMIN = "管理员"  # accounts, settings, restore, and all a clerk does
    CLERK = "录入员"  # enters and prints
    VIEWER = "查看"  # reads only


class ScreeningResult(StrEnum):
    NORMAL = "正常"
    SUSPECTED = "疑似涉毒"
    REGISTERED_USER = "在册涉毒人员"
    SEPARATED = "人户分离"
    UNREACHABLE = "无法联系"


class PlaceKind(StrEnum):
    KTV = "KTV"
    ENTERTAINMENT = "娱乐场所"
    CATERING = "餐饮场所"
    BEAUTY = "美容美发"
    INTERNET_CAFE = "网吧"
    OTHER = "其他"


class CaseBasis(StrEnum):
    COMMUNITY_REHAB = "社区戒毒"
    COMMUNITY_RECOVERY = "社区康复"
    RELEASED = "出所"


class MemberRole(StrEnum):
    POLICE = "社区民警"
    CADRE = "村（社区）干部"
    SOCIAL_WORKER = "专职社工"
    DOCTOR = "社区医生"
    FAMILY = "家庭成员/监护人"
    VOLUNTEER = "志愿者"


class TalkKind(StrEnum):
    TALK = "谈心"
    HOME_VISIT = "家访"
    PHONE = "电话"


class RiskLevel(StrEnum):
    LOW = "低"
    MEDIUM = "中"
    HIGH = "高"


class RosterKind(StrEnum):
    INFORMANT = "毒情信息员"
    PROPAGANDIST = "禁毒宣传员"


class NoticeState(StrEnum):
    ISSUED = "已开具"
    DELIVERED = "已送达"
    TESTED = "已检测"
    VOID = "作废"


class DeliveryHow(StrEnum):
    IN_PERSON = "当面"
    PHONE = "电话"
    FAMILY = "家属代收"


class MissedAction(StrEnum):
    """What was done about a test missed with no notice (逾期未检)."""

    WARNED = "已告诫"
    UNREACHABLE = "未通知到"
    OTHER = "其他"


class UrineResult(StrEnum):
    NEGATIVE = "阴性"
    POSITIVE = "阳性"
    REFUSED = "拒检"
    NO_SHOW = "未到"


class AgreementType(StrEnum):
    """The responsibility agreements signed each year, level by level (层层落实责任)."""

    VILLAGE = "禁毒工作目标责任书"  # 乡镇 ↔ 村（社区）
    GROUP = "小组禁毒责任书"  # 村（社区） ↔ 组
    HOUSEHOLD = "家庭禁毒承诺书"  # 村（组） ↔ 农户/居民
    PLACE = "场所禁毒承诺书"  # 村（社区） ↔ 娱乐/经营场所
    UNIT = "辖区单位禁毒责任书"  # 村（社区） ↔ 辖区单位
    PLANTING = "禁种铲毒责任书"  # 乡镇 ↔ 村（社区）


class AgreementState(StrEnum):
    DRAFT = "草拟"
    PRINTED = "已打印"
    SIGNED = "已签订"
    FILED = "已归档"
    VOID = "作废"


class UnitKind(StrEnum):
    SCHOOL = "学校"
    COMPANY = "企业"
    OFFICE = "机关事业单位"
    CLINIC = "医疗机构"
    OTHER = "其他"


class Audience(StrEnum):
    """Who an education activity or an awareness survey reached (the plan's groups)."""

    TOWN = "城镇居民"
    VILLAGE = "农村村民"
    MIGRANT = "外来务工人员"
    VENUE = "娱乐场所业主及从业人员"
    SCHOOL = "中小学生"
    IDLE_YOUTH = "闲散青少年"
    CADRES = "机关干部职工"


class ActivityKind(StrEnum):
    DAY_626 = "6·26国际禁毒日宣传"
    SCHOOL_LESSON = "开学第一课"
    FILM = "禁毒影片放映"
    POSTERS = "张贴宣传画/标语"
    VILLAGE_MEETING = "村民会议宣讲"
    EXHIBITION = "图片展览"
    OTHER = "其他"


class DelegationDirection(StrEnum):
    OUT = "委托外地管理"  # registered here, living elsewhere: managed (and counted) there
    IN = "受托管理"  # registered elsewhere, living here: managed (and counted) here
