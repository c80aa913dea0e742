"""Signals carry events upward, so a lower feature never imports a higher one."""

from blinker import Namespace

academy_signals = Namespace()

# sender: the user id; kwargs: module_slug, module_version
module_completed = academy_signals.signal("module-completed")
