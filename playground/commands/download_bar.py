"""A progress bar on stderr for the files a command downloads (a classic dataset on its first use)."""

from __future__ import annotations

import sys

from tqdm import tqdm


class DownloadBar:
    """Pass :meth:`update` to ``download.watching``: one bar per file, in bytes, closed when the file is done."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None
        self.name = ""

    def update(self, name: str, done: int, total: int) -> None:
        if self.bar is None or name != self.name:
            self.close()
            self.name = name
            self.bar = tqdm(
                total=total or None,
                unit="B",
                unit_scale=True,
                unit_divisor=1024,
                desc=f"downloading {name}",
                file=sys.stderr,
                dynamic_ncols=True,
            )
        self.bar.update(done - self.bar.n)
        if total and done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
