"""One module per export family; ``WRITERS`` lists them in writing order."""

from __future__ import annotations

from newmedia.samples.writers import douyin, xiaohongshu

WRITERS = (xiaohongshu.write, douyin.write)
