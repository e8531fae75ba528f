"""Find the dbt project and profile, render it, and resolve the active target.

This mirrors how dbt locates its connection settings, so the training step reads
the database that ``dbt build`` wrote:

* project directory: ``--project-dir``, else env ``DBT_PROJECT_DIR``, else the
  repository root (the parent of ``train/``); it must contain ``dbt_project.yml``,
  whose ``profile:`` names the profile;
* ``profiles.yml``: in ``--profiles-dir``, else in env ``DBT_PROFILES_DIR`` (both
  must then contain it), else the first of the project directory, the current
  working directory and ``~/.dbt/`` that has one;
* target: ``--target``, else env ``DBT_TARGET``, else the profile's ``target:``,
  else ``default`` (as dbt).

String values of both YAML files are rendered as Jinja templates with dbt's
``env_var(name, default=None)`` (an unset variable without a default is an
error, as in dbt).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .errors import TrainingError

log = logging.getLogger(__name__)

#: The repository root: ``train/prospect_model/profiles.py`` -> parents[2].
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class TargetConfig:
    """The resolved connection settings of one dbt target (an ``outputs`` entry)."""

    profile_name: str
    target_name: str
    type: str
    settings: Mapping[str, Any] = field(repr=False)
    project_dir: Path
    profiles_path: Path

    def describe(self) -> str:
        """Short human description, e.g. ``dbt target 'duckdb', type duckdb``."""
        return f"dbt target '{self.target_name}', type {self.type}"


class _EnvVarMissing(Exception):
    pass


def env_var(name: str, default: str | None = None) -> str:
    """dbt's ``env_var``: the variable's value, else ``default``, else an error."""
    if name in os.environ:
        return os.environ[name]
    if default is not None:
        return str(default)
    raise _EnvVarMissing(f"Env var required but not provided: '{name}'")


_JINJA = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
_JINJA.globals["env_var"] = env_var


def render_value(value: Any, *, source: Path) -> Any:
    """Render every Jinja-templated string inside ``value`` (recursively)."""
    if isinstance(value, str):
        if "{{" not in value and "{%" not in value:
            return value
        try:
            return _JINJA.from_string(value).render()
        except _EnvVarMissing as exc:
            raise TrainingError(f"{source}: {exc}") from exc
        except jinja2.TemplateError as exc:
            raise TrainingError(f"{source}: cannot render {value!r}: {exc}") from exc
    if isinstance(value, Mapping):
        return {key: render_value(item, source=source) for key, item in value.items()}
    if isinstance(value, list):
        return [render_value(item, source=source) for item in value]
    return value


def load_yaml(path: Path) -> Any:
    """Parse a YAML file (no rendering), turning I/O and syntax errors into TrainingError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TrainingError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        raise TrainingError(f"{path} is not valid YAML: {first_line}") from exc


def find_project_dir(project_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the dbt project directory (see module docstring); it must hold dbt_project.yml."""
    if project_dir is None:
        project_dir = os.environ.get("DBT_PROJECT_DIR") or REPO_ROOT
    path = Path(project_dir).expanduser().resolve()
    if not (path / "dbt_project.yml").is_file():
        raise TrainingError(
            f"no dbt_project.yml in {path}; pass the dbt project with --project-dir"
        )
    return path


def read_profile_name(project_dir: Path) -> str:
    """The ``profile:`` named in ``<project_dir>/dbt_project.yml``."""
    path = project_dir / "dbt_project.yml"
    project = load_yaml(path)
    if not isinstance(project, Mapping) or not project.get("profile"):
        raise TrainingError(f"{path} has no 'profile:' entry")
    return str(render_value(project["profile"], source=path))


def find_profiles_file(
    profiles_dir: str | os.PathLike[str] | None, project_dir: Path
) -> Path:
    """Locate ``profiles.yml`` (see module docstring for the search order)."""
    explicit = profiles_dir if profiles_dir is not None else os.environ.get("DBT_PROFILES_DIR")
    if explicit:
        path = Path(explicit).expanduser().resolve() / "profiles.yml"
        if not path.is_file():
            origin = "--profiles-dir" if profiles_dir is not None else "DBT_PROFILES_DIR"
            raise TrainingError(f"profile not found: no profiles.yml in {path.parent} ({origin})")
        return path
    candidates = [project_dir, Path.cwd(), Path.home() / ".dbt"]
    for directory in candidates:
        path = directory / "profiles.yml"
        if path.is_file():
            return path.resolve()
    searched = ", ".join(str(d) for d in dict.fromkeys(candidates))
    raise TrainingError(
        f"profile not found: no profiles.yml in {searched}; pass --profiles-dir or set DBT_PROFILES_DIR"
    )


def resolve_target(
    *,
    project_dir: str | os.PathLike[str] | None = None,
    profiles_dir: str | os.PathLike[str] | None = None,
    target: str | None = None,
) -> TargetConfig:
    """Resolve the active dbt target the way dbt does and return its rendered settings."""
    project = find_project_dir(project_dir)
    profile_name = read_profile_name(project)
    profiles_path = find_profiles_file(profiles_dir, project)
    profiles = load_yaml(profiles_path)
    if not isinstance(profiles, Mapping) or profile_name not in profiles:
        raise TrainingError(
            f"profile not found: no profile '{profile_name}' (named in "
            f"{project / 'dbt_project.yml'}) in {profiles_path}"
        )
    profile = profiles[profile_name]
    if not isinstance(profile, Mapping) or not isinstance(profile.get("outputs"), Mapping):
        raise TrainingError(f"profile '{profile_name}' in {profiles_path} has no 'outputs:'")
    outputs: Mapping[str, Any] = profile["outputs"]
    if target is None:
        target = os.environ.get("DBT_TARGET") or None
    if target is None:
        target = str(render_value(profile.get("target", "default"), source=profiles_path))
    if target not in outputs:
        available = ", ".join(sorted(map(str, outputs))) or "none"
        raise TrainingError(
            f"unknown target '{target}': profile '{profile_name}' in {profiles_path} "
            f"has targets: {available}"
        )
    raw = outputs[target]
    if not isinstance(raw, Mapping):
        raise TrainingError(f"target '{target}' of profile '{profile_name}' is not a mapping")
    settings = render_value(dict(raw), source=profiles_path)
    target_type = str(settings.get("type") or "")
    if not target_type:
        raise TrainingError(f"target '{target}' of profile '{profile_name}' has no 'type:'")
    log.debug(
        "profile %s from %s, target %s (type %s)", profile_name, profiles_path, target, target_type
    )
    return TargetConfig(
        profile_name=profile_name,
        target_name=target,
        type=target_type,
        settings=settings,
        project_dir=project,
        profiles_path=profiles_path,
    )
