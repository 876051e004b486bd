"""Tables, vocabularies and validators of the domain. Imports nothing of Qt.

The tables are loaded on first use (PEP 562), so importing a vocabulary or the ID-number rules does not pull
in SQLModel; start-up stays fast (benchmarks/startup.py).
"""

_TABLES = (
    "AftercareCase",
    "AssessmentTarget",
    "AssessmentYear",
    "AwarenessSurvey",
    "Delegation",
    "DetoxDecision",
    "DrugMeeting",
    "EducationActivity",
    "EducationPhoto",
    "MajorReport",
    "PlantCheck",
    "Agreement",
    "AgreementScan",
    "AgreementTemplate",
    "AftercareEmployment",
    "AftercareMember",
    "AftercareReview",
    "AftercareTalk",
    "Attachment",
    "AuditEntry",
    "Campaign",
    "CampaignVillage",
    "DrugFile",
    "DrugStatusEntry",
    "Household",
    "JurisdictionUnit",
    "KeyPlace",
    "Person",
    "RosterEntry",
    "Screening",
    "Township",
    "UrineCorrection",
    "UrineMissed",
    "UrineNotice",
    "UrineRule",
    "UserAccount",
    "Village",
    "VillageGroup",
)
__all__ = list(_TABLES)


def __getattr__(name: str):
    if name in _TABLES:
        from desktop.models import tables

        return getattr(tables, name)
    raise AttributeError(f"module 'desktop.models' has no attribute {name!r}")
