from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .passwords import password_reset_allowed_for


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}
        ),
    )


class LimitedPasswordResetForm(PasswordResetForm):
    """Django's form, sending to an account at most PASSWORD_RESETS_PER_ACCOUNT_PER_HOUR
    emails an hour (someone typing a person's address again and again floods their inbox)."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if password_reset_allowed_for(user))
