"""Timeline Viewer: news articles in, dated, sourced, merged events out, on a zoomable timeline."""

__version__ = "0.1.0"
