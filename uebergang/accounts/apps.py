from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "uebergang.accounts"
    label = "accounts"
    verbose_name = "Konten"
