"""Re-take the README screenshots: audit seeds/ into a temp store, serve it, photograph pages.

    python docs/screenshots/take_screenshots.py          # writes docs/screenshots/*.png

Needs /usr/bin/chromium and Python playwright (as the end-to-end tests do).
"""
from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main() -> int:
    from playwright.sync_api import sync_playwright
    from waitress.server import create_server

    from audit.pipeline import run_audit
    from audit.store import Store
    from webui import create_app

    with tempfile.TemporaryDirectory(prefix="newsaudit-shots-") as tmp:
        db = Path(tmp) / "shots.db"
        with Store(db) as st:
            report = run_audit([str(ROOT / "seeds")], st)
        if not report.audited:
            print(f"nothing audited: {report.errors}", file=sys.stderr)
            return 1
        first = report.audited[0][0]
        app = create_app({"DATABASE": str(db)})
        srv = create_server(app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=srv.run, daemon=True).start()
        base = f"http://127.0.0.1:{srv.effective_port}"
        shots = {
            "overview": "/", "articles": "/articles", "article": f"/articles/{first}",
            "actors": "/actors", "audit": "/audit",
        }
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for width, suffix in ((1280, ""), (390, "-phone")):
                page = browser.new_page(viewport={"width": width, "height": 900})
                for name, path in shots.items():
                    if suffix and name not in ("overview", "article"):
                        continue
                    page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(800)           # let Plotly finish drawing
                    if name == "article" and not suffix:
                        # show the layer switch in use: actor mentions off, then click a sentiment bar
                        page.uncheck("input[data-layer=actor]")
                    out = HERE / f"{name}{suffix}.png"
                    page.screenshot(path=str(out), full_page=name != "article" or bool(suffix))
                    print(out)
                page.close()
            browser.close()
        srv.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
