# %% [markdown]
# # Write a writer plugin
#
# A writer turns a report into bytes. Write one (tab-separated values), register it for this
# session with `register_writer`, and write a cohort query's reports with it; a writer for
# one kind of report refuses the others. A distribution publishes the same function under
# the `edoutcomes.writers` entry-point group instead.
# How-to guide: [Write a writer plugin](../docs/how-to/write-a-writer-plugin.md).

# %%
import io

from edoutcomes.cohort import ControlReport, cohort_query
from edoutcomes.errors import InvalidArgumentError
from edoutcomes.formats import as_table, available, register_writer, write
from edoutcomes.formats.csv import format_value
from edoutcomes.synth import synthetic_cohort


def write_tsv(report, out, /):
    table = as_table(report)
    lines = ["\t".join(table.columns)]
    lines += ["\t".join(format_value(v) for v in row) for row in table.rows()]
    out.write(("\n".join(lines) + "\n").encode("utf-8"))


register_writer("tsv")(write_tsv)
print("tsv" in available())

# %% [markdown]
# ## Any report

# %%
synthetic = synthetic_cohort(500, seed=8)
result = cohort_query(
    synthetic.columns,
    search_date=synthetic.search_date,
    institution=synthetic.institution,
    as_of=synthetic.as_of,
)
out = io.BytesIO()
write(result.table1, out, "tsv")
print(out.getvalue().decode().splitlines()[:3])

# %% [markdown]
# ## A writer for one kind of report
#
# `accepts` names the report types it takes; `write` refuses any other with a message
# naming both.

# %%
register_writer("control-tsv", accepts=(ControlReport,))(write_tsv)
write(result.control, io.BytesIO(), "control-tsv")
try:
    write(result.table1, io.BytesIO(), "control-tsv")
except InvalidArgumentError as refused:
    print(refused)
