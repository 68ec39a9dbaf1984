from django.dispatch import Signal

# Sent inside the transaction of `source_update` when a source's text changes, with
# `source` and `user`. The claims app listens to re-anchor the claims quoted from it,
# which keeps `sources` free of imports from `claims`.
source_text_changed = Signal()
