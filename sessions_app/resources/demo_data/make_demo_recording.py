"""Regenerate demo-recording.mp4 (a 4-second H.264 title card, ~16 KB) with local Chromium.

    .venv/bin/python sessions_app/resources/demo_data/make_demo_recording.py

Chromium's MediaRecorder encodes a canvas animation; no network, no ffmpeg. The file is
committed so `seed_demo` needs neither; resources.sample_files.demo_recording() reads it.
"""

import base64
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

RECORD_JS = """async () => {
  const c = document.createElement('canvas'); c.width = 320; c.height = 180;
  document.body.appendChild(c);
  const ctx = c.getContext('2d');
  const rec = new MediaRecorder(c.captureStream(15),
    {mimeType: 'video/mp4;codecs=avc1', videoBitsPerSecond: 150000});
  const chunks = [];
  rec.ondataavailable = e => chunks.push(e.data);
  const done = new Promise(r => rec.onstop = r);
  rec.start();
  const t0 = performance.now();
  await new Promise(resolve => {
    function frame() {
      const t = (performance.now() - t0) / 1000;
      ctx.fillStyle = '#0b5563'; ctx.fillRect(0, 0, 320, 180);
      ctx.fillStyle = '#ffffff'; ctx.font = 'bold 22px sans-serif';
      ctx.fillText('Peer Teaching Society', 30, 70);
      ctx.font = '16px sans-serif'; ctx.fillText('Demo recording  ' + t.toFixed(1) + ' s', 30, 110);
      ctx.fillStyle = '#ffbf47'; ctx.fillRect(30, 140, Math.min(260, t * 65), 10);
      if (t < 4) requestAnimationFrame(frame); else resolve();
    }
    frame();
  });
  rec.stop(); await done;
  const buf = new Uint8Array(await new Blob(chunks).arrayBuffer());
  let s = ''; for (const b of buf) s += String.fromCharCode(b);
  return btoa(s);
}"""


def main() -> None:
    chromium = os.environ.get("MEDED_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        data = base64.b64decode(browser.new_page().evaluate(RECORD_JS))
        browser.close()
    out = Path(__file__).with_name("demo-recording.mp4")
    out.write_bytes(data)
    print(f"wrote {out} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
