"""Measure the phone's photo resize (issue 14) in Chromium on a 6000x4000 noise photo, the
worst case for JPEG: `.venv/bin/python -m mobile.measure_photo_resize`."""

import functools
import http.server
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

TAKEN = "2026:11:20 08:15:00"
PAGE = '<!doctype html><input type=file id=f accept="image/*"><script src="photos.js"></script>'
READ_BACK = """async () => {
  const file = document.getElementById("f").files[0];
  const bitmap = await createImageBitmap(file);
  return [file.size, bitmap.width, bitmap.height, ZCPhotos.exifTime(await file.arrayBuffer())];
}"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="zc-measure-"))
    image = Image.frombytes("RGB", (6000, 4000), os.urandom(6000 * 4000 * 3))
    exif = Image.Exif()
    exif[0x0132] = TAKEN
    exif.get_ifd(0x8769)[0x9003] = TAKEN
    image.save(root / "big.jpg", quality=95, exif=exif)
    shutil.copy(Path(__file__).parent / "static/mobile/photos.js", root / "photos.js")
    (root / "index.html").write_text(PAGE)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
        )
        page = browser.new_page()
        page.goto(f"http://localhost:{server.server_port}/index.html")
        started = time.perf_counter()
        page.set_input_files("#f", str(root / "big.jpg"))
        page.wait_for_selector("#f[data-resized='1']", state="attached", timeout=60000)
        elapsed = time.perf_counter() - started
        size, width, height, taken = page.evaluate(READ_BACK)
        browser.close()
    server.shutdown()
    print(f"original {(root / 'big.jpg').stat().st_size} bytes 6000x4000")
    print(f"resized {size} bytes {width}x{height}, EXIF time {taken!r}, {elapsed:.2f} s")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
