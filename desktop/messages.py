"""The one catalog that turns typed domain errors into short Chinese sentences for the clerk.

Used by the command line and, through `desktop.views.errors`, by the window. Plain Python: no Qt here, so the
headless tools speak the same words as the window.
"""

from __future__ import annotations

import re

from desktop import errors as e
from desktop.labels import COLUMN_LABELS, FIELD_LABELS
from desktop.models.idnumber import IdNumberError, IdReason

ID_REASONS = {
    IdReason.EMPTY: "身份证号码不能为空",
    IdReason.OLD_15_DIGITS: "这是15位旧身份证号码，请换用18位号码",
    IdReason.LENGTH: "身份证号码应为18位",
    IdReason.CHARACTERS: "身份证号码前17位应为数字，最后一位为数字或X",
    IdReason.CHECKSUM: "身份证号码校验位不正确，请核对是否抄错",
    IdReason.BIRTH_DATE: "身份证号码中的出生日期不存在",
    IdReason.BIRTH_IN_FUTURE: "身份证号码中的出生日期晚于今天",
    IdReason.AREA_CODE: "身份证号码前6位不是已知的行政区划代码",
}


REASONS = {
    "required": "{label}不能为空",
    "too_long": "{label}不能超过{max}个字",
    "code_format": "{label}应为{format}（现为“{value}”）",
    "duplicate": "{label}“{value}”重复",
    "kind_unknown": "{label}只能是“村”或“社区”（现为“{value}”）",
    "no_villages": "至少需要一个村（社区）",
    "password_short": "{label}至少要{min}个字符",
    "password_weak": "{label}太容易被猜到（常见密码、键盘顺序、重复字符、姓名或日期）。请用几个词加数字，例如“河口-春耕-2718”",
    "password_mismatch": "两次输入的密码不一致",
    "username_format": "{label}应为2至20个字母、数字或汉字（现为“{value}”）",
    "unknown_village": "没有名为“{value}”的村（社区），请先在 设置 → 行政区划 中添加，或改正名称",
    "unknown_group": "{village}没有名为“{value}”的小组",
    "choice": "{label}只能是：{choices}（现为“{value}”）",
    "phone_format": "{label}“{value}”不是手机号（11位）或带区号的固定电话",
    "id_registered": "身份证号码 {value} 已经登记，且信息与本行不同，请核对",
    "id_as_number": "身份证号码被Excel存成了数字，末几位已经丢失。请把该列设为“文本”后重新填写",
    "date_format": "{label}“{value}”无法识别，请写成 2026-01-05、2026/1/5、2026.1.5 或 2026年1月5日",
    "duplicate_in_file": "身份证号码与第{first_row}行重复",
    "out_of_range": "{label}应在{min}到{max}之间",
    "date_in_future": "{label}（{value}）晚于今天",
    "before_found": "{label}（{value}）早于首次发现日期（{found}）",
    "before_last": "{label}（{value}）早于上一条状态的日期（{last}）；状态记录须按时间先后登记",
    "same_status": "当前状态已经是“{value}”，无需重复登记",
    "after_death": "此人已登记死亡，不能再登记新的状态",
    "reason_needed": "登记“{status}”时必须写明原因",
    "file_exists": "此人已有重点人员档案",
    "unknown_person": "找不到这个人",
    "too_large": "附件不能超过{max}MB",
    "end_before_start": "结束日期早于开始日期",
    "outside_campaign": "排查日期（{value}）不在本次排查的时间内（{start} 至 {end}）",
    "not_in_campaign": "这一户（场所）所在的村不在本次排查范围内",
    "agreement_state": "责任书 {number} 现为“{value}”，这一步只能在“{allowed}”时登记",
    "unknown_placeholder": "{label}中的“{{{value}}}”不是可用的占位符；可用的有：{known}",
    "notice_state": "通知书 {number} 现为“{value}”，这一步只能在“{allowed}”时登记",
    "not_scheduled": "按尿检规则，这个帮教对象在{value}没有应检的尿检",
    "notice_exists": "{value}的尿检已经开具过通知书",
    "window_closed": "{value}的尿检检测期已于{window_to}结束，不能再开具通知书：请在“逾期未检”中登记为逾期未检",
    "window_open": "{value}的尿检检测期到{window_to}才结束，现在还不能登记为逾期未检",
    "missed_exists": "{value}的尿检已经登记过逾期未检",
    "not_in_sheet": "这一行不是本村登记在册的户（“户编号”被改动，或是从别的表格粘贴来的）",
    "sheet_row_changed": "小组或户号与登记不符：请不要改动小组、户号和“户编号”三列",
    "row_repeated": "这一户与第{first_row}行重复",
    "before_date": "{label}（{value}）早于{other}（{other_value}）",
    "period_too_early": "“{value}”的小结（评估）要到{from}以后才能填写",
    "review_exists": "{label}“{value}”已经填写过",
    "case_exists": "此人已有在帮教的档案，请在帮教小组中打开它",
    "member_gone": "这名成员已于{value}离开帮教小组",
    "case_ended": "这个帮教对象已于{value}结束帮教，不能再添加记录",
    "unknown_target": "没有名为“{value}”的考核目标",
    "target_range": "{label}的目标应在{min}到{max}之间（现为“{value}”）",
    "baseline_year": "基准年应早于{year}年",
    "unknown_figure": "没有名为“{value}”的考核指标",
    "period_format": "期间“{value}”无法识别：应为 全年、Q1–Q4（季度）或 1–12（月份），例如 Q3",
    "more_than_asked": "{label}（{value}）不能多于调查人数（{max}）",
    "not_negative": "{label}应为不小于0的整数（现为“{value}”）",
}


FILE_PROBLEMS = {
    "missing": "找不到文件：{path}\n请检查文件名和所在文件夹。",
    "folder": "“{path}”是一个文件夹，不是文件。请选择或写出一个文件名。",
    "not_a_folder": "“{path}”是一个文件，不是文件夹。请指定一个文件夹。",
    "no_folder": "要保存到的文件夹不存在：{path}\n请先建好文件夹，或换一个位置。未写入任何文件。",
    "read_only": "不能写入：{path}\n文件夹只读、U盘写保护或没有权限。未写入任何文件，已有数据没有改动。",
    "unreadable": "无法读取文件：{path}\n没有权限，或文件正被其他程序占用。",
    "empty": "文件是空的（0字节）：{path}\n可能没有复制完整，请重新复制或重新保存。",
    "not_xlsx": "这不是Excel的.xlsx文件：{path}\n请用Excel或WPS打开后“另存为”Excel工作簿（.xlsx）。",
    "xls": "这是旧版Excel的.xls文件：{path}\n请用Excel或WPS打开，另存为.xlsx格式后再导入。",
    "damaged": "文件不完整或已损坏，无法读取：{path}\n可能没有复制完整，请从原处重新复制。",
    "live_database": "“{path}”是正在使用的数据库本身，不是备份。请选择 backups 文件夹或U盘中的备份文件。",
    "exists": "文件已存在，没有覆盖：{path}",
}

HIDDEN_COLUMNS = {"id", "created_at", "updated_at", "name_initials", "sort_order"}


def _shown(key: str, value, mask_id) -> str:
    if value is None or value == "":
        return ""
    if key == "id_number" and isinstance(value, str):
        return mask_id(value)
    if value is True or value is False:
        return "是" if value else "否"
    return short(value)


def column_label(key: str, entity: str = "") -> str:
    """A column in the office's words; a table may name its own (major_report.reported_on is 报告日期, an
    aftercare case's is 报到日期)."""
    return COLUMN_LABELS.get(f"{entity}.{key}") or COLUMN_LABELS.get(key, key)


def describe_values(values: dict, mask_id, entity: str = "") -> str:
    """A record's columns as 名称：值, in the office's words (the viewer's 内容 column)."""
    return "，".join(
        f"{column_label(key, entity)}：{_shown(key, value, mask_id)}"
        for key, value in values.items()
        if key not in HIDDEN_COLUMNS and _shown(key, value, mask_id)
    )


def describe_change(before: dict, after: dict, mask_id, entity: str = "") -> str:
    """What an update changed: 名称：东山村 → 东山新村."""
    return "；".join(
        f"{column_label(key, entity)}：{_shown(key, before.get(key), mask_id) or '（空）'} → "
        f"{_shown(key, after.get(key), mask_id) or '（空）'}"
        for key in after
        if key not in HIDDEN_COLUMNS
    )


AUDIT_PROBLEMS = {
    "altered": "内容被改动",
    "gap": "有记录被删除或编号不连续",
    "chain": "链被插入或打断",
    "tail_cut": "末尾的记录被截去",
    "head_missing": "链头文件（wudu.audit-head）缺失或无法读取",
}


def describe_audit(verdict) -> str:
    """A verdict of desktop.audit in the office's words."""
    if verdict.ok:
        return f"审计日志完好：共 {verdict.entries} 条，哈希链连续，与链头一致。"
    what = AUDIT_PROBLEMS.get(verdict.problem, verdict.problem)
    where = f"第 {verdict.first_bad_id} 条 — " if verdict.first_bad_id else ""
    return f"审计日志校验失败：{where}{what}。记录可能被篡改、删除或截断。"


UNEXPECTED = "发生了意外错误，操作没有完成，已保存的数据没有丢失。"


def incident_code(now=None) -> str:
    """A reference for an unexpected failure, the same in the message and in the log line beside its details:
    the clerk reads it to support instead of a Python class name. Its time is enough to find it in the log."""
    import datetime as dt

    now = now or dt.datetime.now()
    return f"E{now:%Y%m%d-%H%M%S}-{now.microsecond // 1000:03d}"


CREDENTIAL_HINTS = {
    "WUDU_PASSWORD": "请在环境变量 WUDU_PASSWORD 中给出密码（用户名在 WUDU_USER 中，默认 admin）",
    "--recovery-sheet": "新建数据库时必须用 --recovery-sheet 指定密钥恢复单PDF的保存位置，未做任何改动",
}

PASSWORD_RULE = "密码至少10个字符，不能是常见密码、键盘顺序、重复字符、用户名、姓名或日期；建议用几个词加数字，例如“河口-春耕-2718”。"

STORAGE_KINDS = {"removable": "U盘或移动硬盘", "network": "网络共享文件夹"}


def field_label(path: str) -> str:
    return FIELD_LABELS.get(re.sub(r"\[\d+\]", "", path), path)


def short(value, limit: int = 40) -> str:
    """A value quoted back to the user, cut to a readable length (a refused cell may hold megabytes)."""
    text = "" if value is None else str(value)
    return text if len(text) <= limit else f"{text[:limit]}…（共{len(text)}个字符）"


def describe_problem(p: e.Problem) -> str:
    if p.reason.startswith("id:"):  # an ID number's own reason, from desktop.models.idnumber
        return ID_REASONS[IdReason(p.reason[3:])]
    params = {k: short(v) if isinstance(v, str) and k != "choices" else v for k, v in p.params.items()}
    text = REASONS.get(p.reason, "{label}有误：" + p.reason).format(label=field_label(p.field), **params)
    where = params.get("village")
    if "group" in params:
        where = f"{where}{params['group']}"
    if where and p.field.startswith("villages["):
        return f"{where}：{text}"
    if "notice" in params and "{notice}" not in REASONS.get(p.reason, ""):
        return f"{params['notice']}：{text}"  # a list of notices: which one
    return text


def describe(error: BaseException) -> str:
    """One or more lines of Chinese for a refusal; an unexpected exception gets a generic sentence."""
    match error:
        case IdNumberError():
            return ID_REASONS[error.reason]
        case e.ValidationFailed():
            return "\n".join(describe_problem(p) for p in error.problems)
        case e.StorageLocationRefused():
            return (
                f"数据库不能放在{STORAGE_KINDS.get(error.kind, error.kind)}上：{error.path}\n"
                "拔出或断网时会损坏数据。请把数据文件夹放在本机硬盘上；U盘只用于导出和备份。"
            )
        case e.DatabaseInUse():
            who = f"（{error.holder}）" if error.holder else ""
            return f"数据库正被另一个程序窗口使用{who}：{error.path}\n请先关闭另一个窗口。"
        case e.DatabaseTooNew():
            return (
                f"这个数据库由更新版本的程序创建（结构版本 {error.revision}），本程序无法打开，也没有改动它。\n"
                "请安装最新版本的无毒社区工作台。"
            )
        case e.DatabaseDamaged():
            if error.detail.startswith("file is not a database"):  # SQLite's words for a foreign file or key
                return (
                    f"这不是本数据库的文件或备份，或已损坏，无法读取：{error.path}\n"
                    "请选择本数据文件夹 backups 中或U盘上的 wudu-….sqlite3 备份。没有做任何改动。"
                )
            return f"数据库文件无法读取或已损坏：{error.path}\n（SQLite：{error.detail}）"
        case e.BackupFailed():
            return f"备份没有成功，原数据未改动：{error.target}\n（{error.detail}）"
        case e.NotSetUp():
            return "尚未设置本乡镇。请先运行首次设置（或 wudu init）。"
        case e.AlreadySetUp():
            return f"本数据库已设置为“{error.township}”，不能再次初始化。"
        case e.DemoNeedsEmptyDatabase():
            return "演示数据只能生成在空数据库中；当前数据库已有乡镇数据，未做任何改动。"
        case e.UnitInUse():
            unit = "村（社区）" if error.kind == "village" else "小组"
            return f"{unit}“{error.name}”下还有 {error.households} 户登记，不能删除。未做任何改动。"
        case e.Cancelled():
            return "操作已取消，未写入任何数据。"
        case e.BadCredentials():
            if error.remaining is not None and error.remaining <= 3:
                return (
                    f"用户名或密码不正确。再错{error.remaining}次，账户将被暂时锁定。"
                    if error.remaining
                    else ("用户名或密码不正确。错误次数过多，账户已被暂时锁定。")
                )
            return "用户名或密码不正确。"
        case e.AccountLocked():
            import datetime as dt

            until = dt.datetime.fromtimestamp(error.until).strftime("%H:%M:%S")
            return f"账户“{error.username}”因多次输错密码已被锁定，请在 {until} 之后再试。"
        case e.KeyStoreDamaged():
            return (
                f"密钥文件无法读取：{error.path}\n请从 backups 文件夹中与数据库同时备份的 .keys 文件恢复，"
                "或联系管理员。"
            )
        case e.KeysMissing():
            return (
                f"找不到数据库的密钥文件（{error.db_path.with_suffix('.keys').name}），数据库无法打开。\n"
                "请从 backups 文件夹或U盘备份中把同名的 .keys 文件复制回数据文件夹。"
            )
        case e.WrongKey():
            return f"无法用现有密钥打开数据库，文件没有改动：{error.path}\n（密钥文件不属于这个数据库，或文件已损坏。）"
        case e.RecoveryKeyRejected():
            return "恢复密钥不正确。请逐字核对密钥恢复单上的40个字符。"
        case e.PermissionDenied():
            if error.role is None:
                return "请先登录。"
            return f"您的角色（{error.role}）无权进行此操作。"
        case e.ExchangeRefused():
            return describe_exchange(error)
        case e.AuditChainBroken():
            what = AUDIT_PROBLEMS.get(error.detail, error.detail)
            where = f"第 {error.entry_id} 条 — " if error.entry_id else ""
            if error.path is not None:
                return (
                    f"这个备份的审计日志不完整（{where}{what}），不能用它恢复：{error.path}\n"
                    "当前数据库没有改动。请选择另一个备份。"
                )
            return f"审计日志链校验失败：{where}{what}。记录可能被篡改或删除。"
        case e.StorageFull():
            return (
                "磁盘空间已满，刚才的操作没有保存（已撤销），此前保存的数据都完好。\n"
                f"请清理磁盘（{error.path.anchor or error.path.parent}）后重试。"
            )
        case e.StorageReadOnly():
            return (
                f"数据库所在位置不能写入（只读）：{error.path}\n刚才的操作没有保存，此前保存的数据都完好。"
                "请检查文件夹权限，或是否放在了写保护的U盘、光盘上。"
            )
        case e.NotAKeyPerson():
            return (
                "所选居民没有重点人员档案，不能打印重点人员档案摘要。请先选中一位重点人员（红色显示的行）。"
            )
        case e.FileProblem():
            return FILE_PROBLEMS.get(error.kind, "文件无法使用：{path}").format(path=error.path)
        case OSError() if getattr(error, "errno", None) == 28:
            return "磁盘空间已满，操作未完成，已保存的数据没有丢失。请清理磁盘后重试。"
        case OSError() if getattr(error, "filename", None):
            from pathlib import Path

            return describe(e.file_error(Path(error.filename), error, writing=True))
        case e.InstallationExists():
            return f"这里已经有一个数据库，不能重新创建：{error.db_path}"
        case e.ImportRefused():
            refused = error.preview.refused
            lines = [f"第{r.row}行：{r.reasons()}" for r in refused[:20]]
            more = f"\n……共{len(refused)}行有问题" if len(refused) > 20 else ""
            return f"有{len(refused)}行不能导入，整个文件都没有导入：\n" + "\n".join(lines) + more
        case e.NotAScreeningSheet():
            return {
                "not_ours": f"这个表格不是本程序导出的排查表：{error.path}\n请先在“排查活动”中用“导出本村排查表”得到表格，填好后再导入。",
                "campaign_gone": f"这个排查表所属的排查活动在本数据库中不存在：{error.path}\n它可能来自别的电脑或别的乡镇。",
                "village_not_in_campaign": f"这个排查表的村不在该排查活动的范围内：{error.path}",
            }.get(error.reason, f"这个表格不能作为排查表导入：{error.path}")
        case e.NotATemplate():
            return f"这个表格不是居民登记模板，缺少这些列：{'、'.join(error.missing)}\n请先用“下载模板”得到的表格填写。"
        case e.RecoveryRefused():
            admins = "、".join(error.administrators) or "（无）"
            return (
                f"“{error.username}”不是本数据库的管理员，恢复密钥只能为现有管理员重设密码。"
                f"\n现有管理员：{admins}。没有做任何改动（这次尝试已记入审计日志）。"
            )
        case e.LastAdministrator():
            return "不能停用或降级最后一位管理员，否则将无人能管理账户。"
        case e.NoticeNotFound():
            return "找不到这份尿检通知书：它可能刚被另一个窗口处理过，或数据库刚从备份恢复。请刷新列表后再试，没有做任何改动。"
        case e.AgreementNotFound():
            return "找不到这份责任书（或它的签字扫描件）：它可能刚被另一个窗口处理过，或数据库刚从备份恢复。请刷新列表后再试，没有做任何改动。"
        case e.CredentialsMissing():
            return CREDENTIAL_HINTS.get(error.variable, f"请在环境变量 {error.variable} 中给出")
        case e.DomainError():
            # a refusal this catalogue has no sentence for yet: tests/domain/test_messages.py keeps the list full
            return "操作没有完成，没有做任何改动。"
    # The exception's own text may be English or carry a record's values, and its class name means nothing to
    # a clerk: both go to the log (views/errors.py, cli), never into the sentence.
    return UNEXPECTED


# --- the county exchange ----------------------------------------------------------------------------------------
EXCHANGE_REASONS = {
    "not_ours": "这不是本程序的数据包或回执",
    "wrong_kind": "这是回执，不是数据包（或反过来）：请选对文件",
    "damaged": "文件已损坏或被改动过（校验不符），没有导入任何内容。请让对方重新导出一份",
    "bad_signature": "签名不符：文件被改动过，或不是登记的那个乡镇（县）签发的。没有导入任何内容",
    "unknown_township": "发出这个数据包的乡镇（{name}）还没有在本县登记公钥。请先登记该乡镇的公钥文件并电话核对指纹",
    "wrong_county": "这个数据包不是发给本县的（加密用的是另一个县的公钥）。请乡镇核对县禁毒办公钥的指纹后重新导出",
    "schema_newer": "数据包来自更新版本的程序（结构版本 {found}，本程序 {ours}）。请先升级本程序",
    "schema_older": "数据包来自较旧版本的程序（结构版本 {found}，本程序 {ours}）。请乡镇先升级程序再导出",
    "out_of_order": "这是第{seq}号数据包，本县已导入到第{last}号，较早或重复的数据包不能再导入。"
    "如乡镇的电脑从备份恢复过，请乡镇用“导出 → 导出全部记录到县”并填编号{last}"
    "（命令行：wudu export --full --after {last}）",
    "gap": "缺少第{first}号至第{last}号数据包，第{seq}号不能接着导入。"
    "请先导入缺少的，或让乡镇用“导出 → 导出全部记录到县”（命令行：wudu export --full）",
    "chain_broken": "第{seq}号数据包与本县已收到的上一个数据包接不上。"
    "请让乡镇用“导出 → 导出全部记录到县”（命令行：wudu export --full）",
    "not_county": "本机不是县禁毒办的数据库，不能做这件事",
    "no_such_township": "本县没有登记名为“{name}”的乡镇（wudu county status 列出已登记的乡镇）",
    "not_flagged": "这个乡镇的审计日志一直接续完好，没有需要记录核查结果的地方",
    "is_county": "本机是县禁毒办的数据库，不能生成乡镇密钥",
    "keys_exist": "本机已经有交换密钥，不能再生成（重新生成后，已发出的公钥文件全部作废）",
    "no_keys": "本机还没有交换密钥。县禁毒办先生成县的密钥；乡镇再用县的公钥文件生成本乡镇的密钥",
    "no_county_key": "还没有县禁毒办的公钥：请先用县禁毒办给的公钥文件生成本乡镇的密钥（设置 → 报县密钥）",
    "not_key_file": "这不是本程序的公钥文件，或已损坏",
    "key_kind": "这个公钥文件不是所需的那一种：需要{expected_words}，拿到的是{found_words}",
    "already_registered": "这个乡镇的公钥已经登记过了（{name}）",
    "county_name_missing": "请填写县（市、区）名称",
    "receipt_not_ours": "这份回执不是给本乡镇的",
    "receipt_unknown_bundle": "这份回执对应的第{seq}号数据包不是本机导出的，没有导入",
    "bad_database_url": "数据库地址应写成 postgresql://用户名:密码@服务器:端口/数据库名，而不是“{url}”",
    "server_unreachable": "连不上数据库服务器 {url}：请检查服务器是否开着、地址、端口、用户名和密码。没有导入任何内容",
    "server_no_create": "数据库服务器 {url} 上的这个用户不能建立新的模式（schema）：请让管理员授予 CREATE 权限",
    "server_refused": "数据库服务器 {url} 拒绝了操作（{detail}）。没有导入任何内容",
    "nothing_imported": "这个乡镇还没有报送过数据",
    "write_verify_failed": "写到U盘后读回的内容不一致，已删除这个文件。U盘可能有问题，请换一个再试",
}
KEY_KINDS = {"wudu-county-public-key": "县禁毒办的公钥", "wudu-township-public-key": "乡镇的公钥"}


def describe_exchange(error) -> str:
    params = dict(error.params)
    if error.reason == "key_kind":
        params["expected_words"] = KEY_KINDS.get(params.get("expected"), "公钥")
        params["found_words"] = KEY_KINDS.get(params.get("found"), "别的文件")
    text = EXCHANGE_REASONS.get(error.reason, error.reason).format_map(
        {k: short(v) if isinstance(v, str) else v for k, v in params.items()}
    )
    return f"{text}。\n文件：{error.path}" if error.path is not None else text + "。"


def describe_export(done) -> str:
    what = "全部记录" if done.base_seq == 0 else f"县里确认收到第{done.base_seq}号之后的变动"
    return (
        f"已写出第{done.seq}号报县数据包（{what}：{done.changed}条记录，删除{done.deleted}条，"
        f"审计记录{done.audit_entries}条）：\n{done.path}\n数据包已加密，只有县禁毒办能解开。"
    )


def describe_receipt(taken) -> str:
    if taken.already:
        return f"第{taken.seq}号的回执已经导入过，没有改动。"
    flag = describe_audit_flag(taken.audit_flag, None)
    return f"已导入县禁毒办的回执：县里已收到第{taken.seq}号数据包。以后导出只带这之后的变动。" + (
        f"\n注意：{flag}" if flag else ""
    )


def describe_audit_flag(problem: str, first_bad) -> str:
    if not problem:
        return ""
    where = f"第{first_bad}条起" if first_bad else ""
    return f"县里发现本乡镇的审计日志{where}{AUDIT_PROBLEMS.get(problem, problem)}，与以前报送的对不上"


def describe_import(done) -> str:
    if done.already:
        text = f"{done.township} 第{done.seq}号：以前已导入，没有改动。"
    else:
        text = f"{done.township} 第{done.seq}号：已导入{done.changed}条记录，删除{done.deleted}条。"
    if done.audit_problem:
        where = f"第{done.first_bad_audit_id}条起" if done.first_bad_audit_id else ""
        text += f"\n  警告：该乡镇的审计日志{where}{AUDIT_PROBLEMS.get(done.audit_problem, done.audit_problem)}，与县里以前收到的接不上。"
    if done.receipt:
        text += f"\n  回执：{done.receipt}"
    if done.receipt_error:
        first_line = done.receipt_error.splitlines()[0]
        text += (f"\n  回执没有写成（{first_line}）。数据已导入；把数据包放到可写的U盘或文件夹上再导入一次，"
                 "就会写出回执。")  # fmt: skip
    return text


def describe_report(s) -> str:
    if not s.bundles:
        return f"{s.township}（{s.fingerprint}）：还没有报送过。"
    reg = s.registers
    text = (
        f"{s.township}：第{s.last_seq}号，{s.exported_at}导出，{s.imported_at}导入；在册{reg.get('persons', 0)}人，"
        f"重点人员{reg.get('key_persons', 0)}人，帮教{reg.get('aftercare_cases', 0)}人，"
        f"尿检通知书{reg.get('urine_notices', 0)}份，责任书{reg.get('agreements', 0)}份"
    )
    if s.audit_problem:
        where = f"第{s.first_bad_audit_id}条起" if s.first_bad_audit_id else ""
        text += f"\n  警告：审计日志{where}{AUDIT_PROBLEMS.get(s.audit_problem, s.audit_problem)}（与以前报送的接不上）"
        text += f"\n  县里的核查结果：{s.review}" if s.review else "\n  县里还没有记录核查结果。"
    return text
