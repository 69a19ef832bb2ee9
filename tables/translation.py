import simple_history
from modeltranslation.translator import TranslationOptions, register

from tables.models import EvaluationQuestion, PartnershipTable, ProcessRole, ProcessStep, Sector, TableMessage


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(PartnershipTable)
class PartnershipTableTranslationOptions(TranslationOptions):
    fields = ("name", "purpose")


@register(ProcessRole)
class ProcessRoleTranslationOptions(TranslationOptions):
    fields = ("name", "description")


# Registered here, not with ``history = HistoricalRecords()`` on the model: the
# historical model must be built after modeltranslation has added name_fi, name_sv,
# … so that the audit history keeps every language (and saving does not fail).
simple_history.register(ProcessRole, app="tables")


@register(ProcessStep)
class ProcessStepTranslationOptions(TranslationOptions):
    fields = ("what", "how", "when")


# As for ProcessRole: the history of a step keeps what_fi, what_sv, … (registered after them).
simple_history.register(ProcessStep, app="tables")


@register(EvaluationQuestion)
class EvaluationQuestionTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(TableMessage)
class TableMessageTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
