from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CanvassingConfig(AppConfig):
    name = "actions.canvassing"
    label = "canvassing"
    verbose_name = _("Door-to-door canvassing")
    plugin = "actions.canvassing.plugin.CanvassingPlugin"
