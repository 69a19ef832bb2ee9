from django.apps import AppConfig


class DevdataConfig(AppConfig):
    # Made-up data: the load_demo and generate_scale_data commands. No models.
    name = "devdata"
