"""``pdgd``: the PDG data layer used by remote graph views; not emulated."""
