// Reading the input files (spec §3.2): `_str` files skipped, several files aligned to one set of columns.
import type { Field, LazyFrame } from "tessera";
import { PlanError, concat, col, lit, scanParquet } from "tessera";
import { MUST_HAVE, REGION_LEVELS, REQUIRED_COLS } from "../columns.js";

/** The raw frame (before validation) and where it came from. */
export interface RawInput {
  readonly frame: LazyFrame;
  readonly fields: readonly Field[];
  readonly paths: readonly string[];
}

/** Files whose `value` holds strings, which the original skips (its pattern, anchored at the start). */
const STRING_VALUES = /^.*_str(.[0-9]+)?.parquet.gzip$/;

function missing(column: string, file: string, fields: readonly Field[]): never {
  throw new PlanError("CAUSEMOS_MISSING_COLUMN", `${file}: required column "${column}" is missing; the file has ${fields.map((f) => f.name).join(", ")}`, { column, file });
}

/** Fields of one input, after checking it is Parquet (IoError naming the file otherwise) and has the must-have columns. */
async function fieldsOf(path: string | readonly string[]): Promise<readonly Field[]> {
  const fields = await scanParquet(path).fields();
  const name = typeof path === "string" ? path : path.join(", ");
  for (const c of MUST_HAVE) {
    if (fields.some((f) => f.name === c)) continue;
    // A column of a type Tessera cannot read is left out of the fields; selecting it raises the error naming its type.
    await scanParquet(path).select(c).fields().catch((e: unknown) => {
      if (!(e instanceof PlanError && e.code === "COLUMN_NOT_FOUND")) throw e;
    });
    missing(c, name, fields);
  }
  return fields;
}

/**
 * The raw frame of `dataPaths`: one data set when the first path is on S3, else the numeric files (the `_str`
 * ones dropped); one file as it is, several concatenated in order over the union of their columns (extra
 * columns a file lacks filled with "", `feature` as text, region columns of differing types as text with "None").
 */
export async function readInput(dataPaths: readonly string[]): Promise<RawInput> {
  if (dataPaths.length === 0) throw new PlanError("CAUSEMOS_NO_INPUT", "No parquet files provided");
  if ((dataPaths[0] as string).includes("s3://")) {
    const fields = await fieldsOf(dataPaths);
    return { frame: scanParquet([...dataPaths]), fields, paths: [...dataPaths] };
  }
  const paths = dataPaths.filter((p) => !STRING_VALUES.test(p));
  if (paths.length === 0) throw new PlanError("CAUSEMOS_NO_NUMERIC_INPUT", `No numeric parquet files (every input matches *_str*.parquet.gzip: ${dataPaths.join(", ")})`);
  const perFile = await Promise.all(paths.map(fieldsOf));
  if (paths.length === 1) return { frame: scanParquet(paths[0] as string), fields: perFile[0] as readonly Field[], paths };
  return alignFiles(paths, perFile);
}

/** Several files as one frame over the union of their columns (spec §3.2 rule 5). */
function alignFiles(paths: readonly string[], perFile: readonly (readonly Field[])[]): RawInput {
  perFile.forEach((fields, i) => { for (const r of REGION_LEVELS) if (!fields.some((f) => f.name === r)) missing(r, paths[i] as string, fields); });
  const union: Field[] = [];
  for (const fields of perFile) for (const f of fields) if (!union.some((u) => u.name === f.name)) union.push(f);
  const extras = new Set(union.filter((f) => !REQUIRED_COLS.has(f.name)).map((f) => f.name));
  const typesOf = (name: string): Set<string> => new Set(perFile.flatMap((fs) => fs.filter((f) => f.name === name).map((f) => f.type)));
  const asText = new Set(union.filter((f) => f.name === "feature" || (extras.has(f.name) || (REGION_LEVELS as readonly string[]).includes(f.name)) && typesOf(f.name).size > 1).map((f) => f.name));
  const frames = paths.map((p, i) => {
    const have = perFile[i] as readonly Field[];
    return scanParquet(p).select(...union.map((u) => {
      const present = have.some((f) => f.name === u.name);
      if (!present) return extras.has(u.name) ? lit("").alias(u.name) : lit(null).cast(u.type).alias(u.name);
      if (!asText.has(u.name)) return col(u.name);
      const text = col(u.name).cast("utf8");
      return ((REGION_LEVELS as readonly string[]).includes(u.name) ? text.fillNull("None") : text).alias(u.name);
    }));
  });
  const fields = union.map((u) => (asText.has(u.name) ? { ...u, type: "utf8" as const } : u));
  return { frame: concat(frames), fields, paths };
}
