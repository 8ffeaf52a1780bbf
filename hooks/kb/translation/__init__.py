"""The translators' workflow: what is outdated and marking it current (staleness), what changed in the origin
(diff), the status report (status), new pages, moving pages, PO catalogs for CAT tools (po), and make publish's
replacement of a translation with a slip (slips).
"""
