"""Irreversible actions ask first. Their button posts without `confirm`: the answer is a
page saying what will happen, with the button that does it (`confirm=yes`), so it works
without JavaScript. With it, a native <dialog> asks on the page itself and posts the same
`confirm=yes` (templates/partials/confirm_button.html, static/js/confirm.js)."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


@dataclass(frozen=True)
class Ask:
    """What a dangerous button asks: a question, what it does, the button's words."""

    title: str | Promise  # lazy: translated when shown
    text: str | Promise
    button: str | Promise


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirm") == "yes"


def confirmation_page(
    request: HttpRequest, *, ask: Ask, back_url: str, keep: str = ""
) -> HttpResponse:
    """The question as a page of its own; its button posts to the same URL, confirmed, with
    the field named `keep` as it was posted (which side of a pair, for instance)."""
    kept = (keep, request.POST.get(keep, "")) if keep else None
    return render(request, "confirm.html", {"ask": ask, "back_url": back_url, "kept": kept})
