from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "actions.petitions"
    label = "petitions"
    verbose_name = _("Petitions")
    plugin = "actions.petitions.plugin.PetitionsPlugin"

    def ready(self) -> None:
        # Inside ready(): the models and selectors can be imported only once the apps are loaded.
        from django.db.models.signals import post_save

        from .models import Petition
        from .selectors import forget_public

        post_save.connect(forget_public, sender=Petition, dispatch_uid="petitions.forget_public")
