"""kg: knowledge graphs of officials, bodies, campaigns and events from news articles."""

__version__ = "0.1.0"
