from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from uebergang.core.forms import KernFormMixin


class SignInForm(KernFormMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-Mail-Adresse"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "E-Mail-Adresse oder Passwort stimmen nicht. Bitte versuchen Sie es noch einmal."
        ),
        "inactive": _("Dieses Konto ist deaktiviert."),
    }

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class ResetForm(KernFormMixin, PasswordResetForm):
    pass


class NewPasswordForm(KernFormMixin, SetPasswordForm):
    pass


class TokenForm(KernFormMixin, forms.Form):
    name = forms.CharField(
        label=_("Bezeichnung"),
        max_length=100,
        help_text=_("Wofür Sie den Schlüssel nutzen, z. B. „Auswertung Excel“."),
    )
    expires_on = forms.DateField(
        label=_("gültig bis"),
        required=False,
        help_text=_("Leer lassen für unbegrenzte Gültigkeit."),
    )


class PasswordChangeForm(KernFormMixin, forms.Form):
    old_password = forms.CharField(
        label=_("Bisheriges Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("Neues Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindestens 10 Zeichen; nicht nur Ziffern, kein gängiges Passwort."),
    )
    new_password_again = forms.CharField(
        label=_("Neues Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("new_password")
            and data.get("new_password_again")
            and data["new_password"] != data["new_password_again"]
        ):
            self.add_error(
                "new_password_again", _("Die beiden neuen Passwörter stimmen nicht überein.")
            )
        return data
