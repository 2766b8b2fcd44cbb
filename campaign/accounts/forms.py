from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaign.mail.transactional import transactional_send

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

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Django's email, in the campaign's template (campaign.mail): both parts, the link
        written out."""
        path = reverse(
            "password_reset_confirm", kwargs={"uidb64": context["uid"], "token": context["token"]}
        )
        body = "\n\n".join(
            [
                gettext(
                    "Someone asked to reset the password of your Terrain account. If it was "
                    "you, follow this link:"
                ),
                "[{link}]({link})",
                gettext("Your username:") + " {username}",
                gettext("If it was not you, ignore this message: your password stays the same."),
            ]
        )
        transactional_send(
            to=to_email,
            subject=gettext("Terrain: reset your password"),
            body=body,
            extra={
                "link": f"{context['protocol']}://{context['domain']}{path}",
                "username": context["user"].get_username(),
            },
            from_email=from_email,
        )
