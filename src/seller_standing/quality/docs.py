"""Great Expectations Data Docs that work offline and say what the console says.

Great Expectations writes pages that load Bootstrap, jQuery, bootstrap-table and Font Awesome
from CDNs: offline they are unstyled, and the index (a bootstrap-table) shows no rows. Its
validation pages also say "Failed" for a suite whose only failures are our warnings, where the
console says it passed. After the docs are built:

- ``make_offline`` copies the vendored copies of those files (``data_docs_assets/``, the same
  releases, from the npm registry; licences in their headers and ``fontawesome/LICENSE.txt``)
  to ``static/vendor/`` and points every page at them; remote files we do not ship (the dark
  theme, the Vega chart scripts our suites never use, remote CSS backgrounds) are dropped,
  the remote logo is the local one;
- ``align_status`` sets each stored validation result's success to the console's verdict
  (a suite fails when one of its expectations of severity error failed) before rendering.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parents[1] / "data_docs_assets"
VENDOR = Path("static") / "vendor"

# File name at the end of a CDN address -> our copy under static/vendor.
LOCAL_COPIES = {
    "bootstrap.min.css": "bootstrap.min.css",
    "bootstrap.min.js": "bootstrap.min.js",
    "jquery-3.7.1.min.js": "jquery.min.js",
    "popper.min.js": "popper.min.js",
    "bootstrap-table.min.css": "bootstrap-table.min.css",
    "bootstrap-table.min.js": "bootstrap-table.min.js",
    "bootstrap-table-filter-control.min.css": "bootstrap-table-filter-control.min.css",
    "bootstrap-table-filter-control.min.js": "bootstrap-table-filter-control.min.js",
    "bootstrap-datepicker.min.css": "bootstrap-datepicker.min.css",
    "bootstrap-datepicker.min.js": "bootstrap-datepicker.min.js",
    "all.min.css": "fontawesome/css/all.min.css",
}

_REMOTE_TAG = re.compile(
    r"<(?P<tag>link|script|img)\b(?P<attrs>[^>]*?)\b(?P<attr>href|src)=\"(?P<url>https?://[^\"]+)\""
    r"(?P<rest>[^>]*)>(?P<close>\s*</script>)?",
    re.IGNORECASE,
)
_SRI = re.compile(r"\s+(integrity|crossorigin)=\"[^\"]*\"", re.IGNORECASE)
_REMOTE_CSS_URL = re.compile(r"url\(\s*['\"]?https?://[^)]*\)", re.IGNORECASE)


def _rewrite(page: Path, docs_dir: Path) -> None:
    text = page.read_text(encoding="utf-8")
    vendor = Path(os.path.relpath(docs_dir / VENDOR, page.parent)).as_posix()
    images = Path(os.path.relpath(docs_dir / "static" / "images", page.parent)).as_posix()

    def replace(match: re.Match[str]) -> str:
        tag = match["tag"].lower()
        if tag == "link" and "stylesheet" not in match.group(0).lower():
            return match.group(0)  # not a resource the page loads
        name = match["url"].split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        if tag == "img":
            local = f"{images}/{name}" if (docs_dir / "static" / "images" / name).exists() else ""
        else:
            local = f"{vendor}/{LOCAL_COPIES[name]}" if name in LOCAL_COPIES else ""
        if not local:
            return ""
        rebuilt = f'<{match["tag"]}{match["attrs"]}{match["attr"]}="{local}"{match["rest"]}>'
        return _SRI.sub("", rebuilt) + (match["close"] or "")

    new = _REMOTE_CSS_URL.sub("none", _REMOTE_TAG.sub(replace, text))
    if new != text:
        page.write_text(new, encoding="utf-8")


def make_offline(docs_dir: Path) -> None:
    """Copy the vendored assets into the docs and point every page at them."""
    shutil.copytree(ASSETS, docs_dir / VENDOR, dirs_exist_ok=True)
    for page in docs_dir.rglob("*.html"):
        _rewrite(page, docs_dir)


def align_status(context: Any, failed_suites: Iterable[str]) -> None:
    """Stored validation results succeed unless the console counted a failure in the suite."""
    failed = set(failed_suites)
    store = context.validation_results_store
    for key in store.list_keys():
        result = store.get(key)
        verdict = result.suite_name not in failed
        if bool(result.success) != verdict:
            result.success = verdict
            store.set(key, result)
