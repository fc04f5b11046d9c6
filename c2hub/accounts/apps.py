from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "c2hub.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from c2hub.accounts import audit

        audit.register_models()
