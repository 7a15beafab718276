"""The composition root: settings, the channel registry, and the process built from them."""
