"""The OpenAPI schema of the API: its token header, and one operation id per route."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class OsdiAutoSchema(AutoSchema):
    def get_operation_id(self):
        """`v1_people_list` for a collection, `v1_people_retrieve` for one of it."""
        operation_id = super().get_operation_id()
        if self.method == "GET" and not self.path.rstrip("/").endswith("}"):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "campaign.api.auth.ApiTokenAuthentication"
    name = "OsdiApiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"}
