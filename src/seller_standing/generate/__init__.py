"""Synthetic landing data for seller_standing: every landing table (docs/contract.md), all
marketplaces.

``generate(out_dir)`` writes ``out_dir/<table>/<table>_<YYYY>.csv`` (or ``.parquet``), one
file per calendar year of each row's main date, one marketplace-month at a time, so memory
does not grow with the amount written. Same arguments, same bytes.

Each marketplace gets its own window of ``months`` months so the demo spans its rule changes:

- kkday, booking: the ``months`` months ending with ``end_month``;
- ovoko: centred on 2025-06 (overdue-shipment rule version 2 from 2025-06-01);
- fyndiq: centred on 2022-11 (fee schedule from 2022-11-01);
- kuaishou: around 2022-01/2022-02 (Spring Festival SLA window 2022-01-25..2022-02-08).

Sellers are split evenly over the marketplaces and get an archetype (excellent, borderline,
average, poor; ovoko also "new") and a size class from fixed cycles, see ``core``.

Modules: ``run`` (the loop over marketplaces and months), ``core`` (sellers, archetypes,
sampling, tables several marketplaces share), ``schema`` (the landing contract, read from
``models/staging/landing/_landing__sources.yml``), ``writer`` (batches to CSV / Parquet
files), ``clock`` (time zones and timestamp text), and one module per marketplace
(``kkday``, ``ovoko``, ``kuaishou``, ``fyndiq``, ``booking``).
"""

from seller_standing.generate.run import MARKETPLACES, generate, marketplace_windows, split_sellers

__all__ = ["MARKETPLACES", "generate", "marketplace_windows", "split_sellers"]
