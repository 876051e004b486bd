"""Tables, vocabularies and validators of the domain. Imports nothing of Qt."""

from desktop.models.tables import (
    DrugFile,
    DrugStatusEntry,
    Household,
    Person,
    Township,
    Village,
    VillageGroup,
)

__all__ = ["DrugFile", "DrugStatusEntry", "Household", "Person", "Township", "Village", "VillageGroup"]
