"""Signals carry events upward, so a lower feature never imports a higher one."""

from blinker import Namespace

academy_signals = Namespace()

# sender: the user id; kwargs: module_slug, module_version
module_completed = academy_signals.signal("module-completed")

# sender: the normalised code; kwargs: result (status), via ("page" or "api"),
# user_id (the signed-in checker, if any), centre_id (an API token's centre, if any).
# The centres feature keeps the audit log.
certificate_verified = academy_signals.signal("certificate-verified")

# sender: the trainee's user id; kwargs: path_slug. The practice feature sends it when a
# trainer records an observation session; certificates issue a path certificate it completes.
observation_recorded = academy_signals.signal("observation-recorded")
