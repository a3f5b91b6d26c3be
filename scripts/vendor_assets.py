"""Copy the pinned front-end files from node_modules into tongpin/static/vendor.

Only the built files a page loads are copied, so the site serves everything itself (no CDN).
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
TARGET = ROOT / "tongpin" / "static" / "vendor"

FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
}


def main() -> int:
    missing = [source for source in FILES if not (MODULES / source).is_file()]
    if missing:
        print("缺少前端文件（请先运行 npm ci）:", ", ".join(missing), file=sys.stderr)
        return 1
    for source, target in FILES.items():
        destination = TARGET / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / source, destination)
    return 0


if __name__ == "__main__":
    sys.exit(main())
