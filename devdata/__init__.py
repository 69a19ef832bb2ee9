"""Made-up data: the bilingual demo (``load_demo``) and the national-scale benchmark dataset
(``generate_scale_data``).

An app on the top floor because it writes every app's tables; no app imports it (see .importlinter).
"""
