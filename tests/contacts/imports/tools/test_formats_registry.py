"""Every tool's headers say one thing: each goes to a field Terrain has, no two tools read the
same header differently, and the automatic mapping reads each as its tool wrote it."""

import pytest

from contacts.imports import formats
from contacts.imports.mapping import CUSTOM_PREFIX, FIELDS, IGNORE, guess_mapping, header_key

TOOLS = [pytest.param(tool, id=tool.__name__.rsplit(".", 1)[-1]) for tool in formats.TOOLS]


@pytest.mark.parametrize("tool", TOOLS)
def test_a_tool_names_its_documentation_and_maps_to_fields_terrain_has(tool):
    assert tool.DOCS
    assert tool.HEADERS
    unknown = {
        header: target
        for header, target in tool.HEADERS.items()
        if target not in FIELDS and target != IGNORE and not target.startswith(CUSTOM_PREFIX)
    }
    assert unknown == {}


def test_no_two_tools_read_the_same_header_differently():
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for tool in formats.TOOLS:
        for header, target in tool.HEADERS.items():
            key = header_key(header)
            other = seen.setdefault(key, (tool.NAME, target))
            if other[1] != target:
                clashes.append((header, tool.NAME, target, *other))
    assert clashes == []


@pytest.mark.parametrize("tool", TOOLS)
def test_each_header_alone_is_mapped_as_its_tool_means_it(tool):
    misread = {
        header: guess_mapping([header])[header]
        for header, target in tool.HEADERS.items()
        if guess_mapping([header])[header] != target
    }
    assert misread == {}
