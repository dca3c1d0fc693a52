// db-benchmark group-by q1..q10 on G1 Parquet files: Tessera's answers equal DuckDB's (floats to 1e-9 relative).
import { afterAll, beforeAll, describe, it } from "vitest";
import { scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { QUESTIONS } from "../support/db-benchmark.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { g1Parquet } from "../support/g1.js";

/** q10 returns about a million groups; converting and matching them alone takes seconds on a busy 2-core machine. */
const HEAVY_MS = 300_000;

function suite(label: string, opts: { n: number; nas: number }): void {
  describe.skipIf(!engineLanded)(`db-benchmark group-by, ${label}`, () => {
    let path = "";
    beforeAll(async () => {
      path = await g1Parquet({ n: opts.n, k: 100, nas: opts.nas });
      await duckRun(`CREATE OR REPLACE TABLE x AS SELECT * FROM read_parquet(${sqlString(path)})`);
    });

    for (const q of QUESTIONS) {
      it(`${q.name} matches DuckDB`, async () => {
        const expected = await duckRows(q.sql);
        const actual = await collectRows(q.tessera(scanParquet(path)));
        expectSameRows(actual, expected, { relTol: 1e-9, ...q.compare });
      }, HEAVY_MS);
    }
  });
}

afterAll(closeDuck);

suite("G1 1e6 rows, K=100, no nulls", { n: 1_000_000, nas: 0 });
// db-benchmark's NA variant (G1_*_5_0): 5% of every column null, so null keys group together and
// aggregates skip nulls (a group whose values are all null sums to null, as in SQL).
suite("G1 1e5 rows, K=100, 5% nulls", { n: 100_000, nas: 5 });
