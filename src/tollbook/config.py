"""Settings: one commented defaults file (``defaults.toml``), one typed object, overrides.

Order, later wins: defaults.toml < a ``--config`` file < TOLLBOOK_* environment < flags.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tollbook.errors import TollbookError


class ConfigError(TollbookError):
    code = "T010"


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "tollbook.db"
    max_size_mb: float = 50
    gazetteers: tuple[str, ...] = field(default_factory=tuple)
    vague_reading: str = "plain"
    country_hint: str = ""
    batch_size: int = 16
    tile_url: str = ""
    tile_attribution: str = ""

    @property
    def max_bytes(self) -> int:
        return int(self.max_size_mb * 1024 * 1024)

    @classmethod
    def load(cls, config_file: str | Path | None = None, **overrides: Any) -> Settings:
        values: dict[str, Any] = tomllib.loads(resources.files("tollbook").joinpath("defaults.toml").read_text("utf-8"))
        if config_file is not None:
            try:
                values.update(tomllib.loads(Path(config_file).read_text("utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"config file {config_file}: {exc}") from None
        for f in dataclasses.fields(cls):
            env = os.environ.get(f"TOLLBOOK_{f.name.upper()}")
            if env is not None:
                values[f.name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        try:
            values["max_size_mb"] = float(values["max_size_mb"])
            values["batch_size"] = int(values["batch_size"])
            g = values.get("gazetteers") or ()
            values["gazetteers"] = tuple([g] if isinstance(g, str) else g)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"bad setting value: {exc}") from None
        check_tile_url(str(values.get("tile_url") or ""))
        if values["vague_reading"] not in ("plain", "acled"):
            raise ConfigError(f"vague_reading must be 'plain' or 'acled', not {values['vague_reading']!r}")
        return cls(**values)


def check_tile_url(url: str) -> str:
    """``url`` if it is a usable ``tile_url``: empty (the bundled offline base map), "none" (no base
    map) or an http(s) tile URL template with {z}, {x} and {y}; a ConfigError otherwise."""
    if url in ("", "none") or (url.startswith(("http://", "https://"))
                               and all(k in url for k in ("{z}", "{x}", "{y}"))):
        return url
    raise ConfigError(f"tile_url: empty (the bundled offline map), 'none', or an http(s) URL with "
                      f"{{z}}, {{x}} and {{y}}, not {url!r}")
