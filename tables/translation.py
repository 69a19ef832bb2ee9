from modeltranslation.translator import TranslationOptions, register

from tables.models import EvaluationQuestion, PartnershipTable, ProcessRole, Sector


@register(Sector)
class SectorTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(PartnershipTable)
class PartnershipTableTranslationOptions(TranslationOptions):
    fields = ("name", "purpose")


@register(ProcessRole)
class ProcessRoleTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(EvaluationQuestion)
class EvaluationQuestionTranslationOptions(TranslationOptions):
    fields = ("text",)
