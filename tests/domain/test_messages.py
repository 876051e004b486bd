"""Every refusal a person can cause has its own Chinese sentence, found by the error's class; an unexpected
failure names no Python type, only a reference that is in the log beside its details."""

import datetime as dt
import importlib
import pkgutil
import time
from pathlib import Path
from types import SimpleNamespace

import desktop
from desktop import errors as e
from desktop import messages

P = Path("/data/wudu.sqlite3")

# One example of every refusal, as the program raises it.
EXAMPLES = {
    e.ValidationFailed: e.ValidationFailed([e.Problem("name", "required")]),
    e.StorageLocationRefused: e.StorageLocationRefused(P, "removable"),
    e.DatabaseInUse: e.DatabaseInUse(P, "pid 4242"),
    e.DatabaseTooNew: e.DatabaseTooNew(P, "9999"),
    e.DatabaseDamaged: e.DatabaseDamaged(P, "malformed"),
    e.BackupFailed: e.BackupFailed(P, "disk"),
    e.NotSetUp: e.NotSetUp(),
    e.AlreadySetUp: e.AlreadySetUp("严塘镇"),
    e.DemoNeedsEmptyDatabase: e.DemoNeedsEmptyDatabase(),
    e.UnitInUse: e.UnitInUse("village", "东山村", 3),
    e.Cancelled: e.Cancelled(),
    e.BadCredentials: e.BadCredentials("admin", 2),
    e.AccountLocked: e.AccountLocked("admin", time.time() + 60),
    e.KeyStoreDamaged: e.KeyStoreDamaged(P, "bad json"),
    e.KeysMissing: e.KeysMissing(P),
    e.WrongKey: e.WrongKey(P),
    e.RecoveryKeyRejected: e.RecoveryKeyRejected(),
    e.PermissionDenied: e.PermissionDenied("write", "查看"),
    e.ExchangeRefused: e.ExchangeRefused("damaged", P),
    e.AuditChainBroken: e.AuditChainBroken(3, "gap"),
    e.StorageFull: e.StorageFull(P),
    e.StorageReadOnly: e.StorageReadOnly(P),
    e.FileProblem: e.FileProblem(P, "missing"),
    e.NotAKeyPerson: e.NotAKeyPerson(7),
    e.InstallationExists: e.InstallationExists(P),
    e.RecoveryRefused: e.RecoveryRefused("luru", ["admin"]),
    e.LastAdministrator: e.LastAdministrator(),
    e.NoticeNotFound: e.NoticeNotFound("12"),
    e.AgreementNotFound: e.AgreementNotFound("12"),
    e.ImportRefused: e.ImportRefused(
        SimpleNamespace(refused=[SimpleNamespace(row=3, reasons=lambda: "姓名不能为空")])
    ),
    e.NotATemplate: e.NotATemplate(P, ["姓名"]),
    e.NotAScreeningSheet: e.NotAScreeningSheet(P, "not_ours"),
    e.CredentialsMissing: e.CredentialsMissing("WUDU_PASSWORD"),
}
GENERIC = {"操作没有完成，没有做任何改动。", messages.UNEXPECTED}


def every_domain_error() -> set[type]:
    """Every refusal class the program defines, wherever it is (the window's modules apart: they import Qt)."""
    for info in pkgutil.walk_packages(desktop.__path__, "desktop."):
        if ".views" not in info.name and ".migrations" not in info.name and info.name != "desktop.__main__":
            importlib.import_module(info.name)
    found, todo = set(), [e.DomainError]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return {c for c in found if c.__module__.startswith("desktop.")}


def test_every_refusal_lives_in_the_one_catalogue_and_has_its_own_sentence():
    """A new refusal class without a sentence would reach the clerk as a generic line: the table above must
    name every class, each gets a sentence of its own, and none of them is the fallback."""
    classes = every_domain_error()
    assert {c for c in classes if c.__module__ != "desktop.errors"} == set()
    assert classes == set(EXAMPLES)
    for cls, example in EXAMPLES.items():
        text = messages.describe(example)
        assert text not in GENERIC, cls
        assert cls.__name__ not in text


def test_a_notice_or_an_agreement_that_is_gone_is_said_in_words():
    assert "尿检通知书" in messages.describe(e.NoticeNotFound("5"))
    assert "责任书" in messages.describe(e.AgreementNotFound("5"))


def test_an_unexpected_failure_names_no_python_type():
    """The clerk never reads ValueError or ProgrammingError; the reference is what the log line carries."""
    for error in (ValueError("x"), KeyError("id_number"), MemoryError()):
        text = messages.describe(error)
        assert type(error).__name__ not in text and "意外错误" in text
    code = messages.incident_code(dt.datetime(2026, 12, 4, 20, 15, 30, 123456))
    assert code == "E20261204-201530-123"
