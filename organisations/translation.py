from modeltranslation.translator import TranslationOptions, register

from organisations.models import Municipality, Theme, WelfareArea


@register(WelfareArea)
class WelfareAreaTranslationOptions(TranslationOptions):
    fields = ("name", "short_name")


@register(Municipality)
class MunicipalityTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name",)
