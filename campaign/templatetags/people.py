"""{% load people %}: {{ user|display_name }}, the one name Terrain gives a user."""

from django import template

from campaign.accounts import names

register = template.Library()


@register.filter
def display_name(user) -> str:
    return names.display_name(user)
