"""Course content: Markdown files in a content folder, loaded into a Catalogue."""

from academy.core.content.loader import check_content, load_catalogue
from academy.core.content.stats import content_stats

__all__ = ["check_content", "content_stats", "load_catalogue"]
