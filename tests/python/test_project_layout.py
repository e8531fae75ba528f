"""The dbt project's layout rules (issue: dbt-side structure), checked on the files.

* One macro per file, named after the macro (dbt-utils' layout): a dispatched
  macro's file also holds its `<adapter>__<name>` implementations; an adapter's
  implementation may have a file of its own (`bigquery__<name>.sql`).
* Every macro named after its file is documented in macros/_macros.yml, with the
  macro's arguments (an adapter's form may leave them to its dispatcher's entry)
  and, as dbt-utils documents its macros, an example: a final `Example:` sentence.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from dbt_harness import PROJECT_DIR

MACROS = PROJECT_DIR / "macros"
DEFINITION = re.compile(r"{%-?\s*(macro|test)\s+(\w+)\s*\(([^)]*)\)")


def _definitions() -> dict[Path, list[tuple[str, list[str]]]]:
    """Each .sql file of macros/ -> its (macro name, argument names); a generic test `t` is `test_t`."""
    found: dict[Path, list[tuple[str, list[str]]]] = {}
    for path in sorted(MACROS.rglob("*.sql")):
        text = re.sub(r"{#.*?#}", "", path.read_text(), flags=re.S)
        found[path] = [(("test_" if kind == "test" else "") + name,
                        [a.split("=")[0].strip() for a in args.split(",") if a.strip()])
                       for kind, name, args in DEFINITION.findall(text)]
    return found


def _implements(name: str, stem: str) -> bool:
    """`name` is `stem` or one adapter's implementation of it (`<adapter>__<stem>`)."""
    return name == stem or re.fullmatch(r"[a-z]+__" + re.escape(stem), name) is not None


def test_one_macro_per_file_named_after_it() -> None:
    bad = {}
    for path, definitions in _definitions().items():
        names = [n.removeprefix("test_") for n, _ in definitions]
        if path.stem not in names or not all(_implements(n, path.stem) for n in names):
            bad[str(path.relative_to(PROJECT_DIR))] = names
    assert not bad, f"files that do not hold one macro named after the file (and its implementations): {bad}"


def test_every_macro_is_documented_with_its_arguments() -> None:
    documented = {m["name"]: m for m in yaml.safe_load((MACROS / "_macros.yml").read_text())["macros"]}
    missing, wrong_arguments = [], {}
    for path, definitions in _definitions().items():
        for name, arguments in definitions:
            if name.removeprefix("test_") != path.stem:
                continue  # an adapter's implementation inside its dispatcher's file
            if name not in documented:
                missing.append(name)
                continue
            listed = [a["name"] for a in documented[name].get("arguments") or []]
            if name.startswith("test_"):  # dbt passes model and column_name to every generic test
                listed, arguments = ([a for a in names if a not in ("model", "column_name")]
                                     for names in (listed, arguments))
            if re.fullmatch(r"[a-z]+__\w+", name) and not listed:
                continue  # an adapter's form, documented by its dispatcher's arguments
            if listed != arguments:
                wrong_arguments[name] = (listed, arguments)
    assert not missing, f"macros missing from macros/_macros.yml: {missing}"
    assert not wrong_arguments, f"documented arguments differ from the macro's (documented, defined): {wrong_arguments}"


def test_every_documented_macro_has_an_example() -> None:
    documented = yaml.safe_load((MACROS / "_macros.yml").read_text())["macros"]
    lacking = [m["name"] for m in documented if "Example:" not in (m.get("description") or "")]
    assert not lacking, f"macros/_macros.yml entries whose description has no `Example:` (a call and its result): {lacking}"
