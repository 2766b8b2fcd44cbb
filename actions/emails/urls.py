"""The email pages: the outbox of the embedded defaults (blasts and unsubscribing next)."""

from django.urls import path  # noqa: F401

app_name = "emails"
urlpatterns: list = []
