"""The Qt layer: item models, widgets and windows that present the core's data."""
