"""
Shared internals every package may use: the one private package others import.

Dates, day numbers and the one bucketing function (:mod:`._days`); grouping (:mod:`._groups`);
coded enums (:mod:`._codes`); the degree kinds of the degree-title table (:mod:`._degrees`);
half-up rates, small-cell suppression and the final tie-break of the tie rules; for files,
the one value formatter (:mod:`._values`), the one streaming CSV writer (:mod:`._csv`), the
HTML renderer, report tables and the writer registry (:mod:`._writers`); the rows done that
readers, engines and writers tell a progress listener (:mod:`._progress`).

Import from the modules: this package imports nothing, so the model (which the kernel's
modules build on) can itself use the kernel's coded enums.
"""
