// Lowers a scan: splits the source into partitions (file row-group ranges, CSV byte ranges, memory batches).
import type { Field } from "@tessera/common";
import { InternalError, PlanError } from "@tessera/common";
import { columnsOf } from "@tessera/expr";
import type { ParquetFileInfo, ScanNode } from "../nodes.js";
import { schemaOf, sourceFields } from "../schema.js";
import type { Part, Stage } from "./builder.js";
import type { ParquetPiece, SourceSpec, Step } from "@tessera/ops";
import { parquetFooterPart } from "@tessera/io";

/** Target rows per partition when the user does not set a partition count. */
export const DEFAULT_PARTITION_ROWS = 1 << 18;
/** Target bytes per CSV partition. */
export const DEFAULT_CSV_PARTITION_BYTES = 32 << 20;

interface Unit { readonly file: ParquetFileInfo; readonly rowGroup: number; readonly rows: number }

/** Splits `units` into `n` contiguous chunks of nearly equal row counts. */
function chunk(units: readonly Unit[], n: number): Unit[][] {
  const total = units.reduce((s, u) => s + u.rows, 0);
  const out: Unit[][] = [];
  let cur: Unit[] = [];
  let acc = 0;
  for (const u of units) {
    cur.push(u);
    acc += u.rows;
    if (acc >= (total * (out.length + 1)) / n && out.length < n - 1) {
      out.push(cur);
      cur = [];
    }
  }
  if (cur.length > 0 || out.length === 0) out.push(cur);
  return out;
}

function piecesOf(units: readonly Unit[], hive: readonly Field[], columns: readonly string[]): ParquetPiece[] {
  const pieces: ParquetPiece[] = [];
  for (const u of units) {
    const last = pieces[pieces.length - 1];
    if (last && last.url === u.file.url) {
      (last.rowGroups as number[]).push(u.rowGroup);
    } else {
      pieces.push({ url: u.file.url, rowGroups: [u.rowGroup], hive: hive.map((f) => ({ name: f.name, type: f.type, value: u.file.hive[f.name] ?? null })) });
    }
  }
  // Ship each piece the part of its file's footer it reads (see ParquetFooterPart).
  return pieces.map((p) => {
    const footer = units.find((u) => u.file.url === p.url)?.file.footer;
    return footer === undefined ? p : { ...p, footer: parquetFooterPart(footer.bytes, footer.size, p.rowGroups, columns) };
  });
}

export function lowerScan(scan: ScanNode): Stage {
  const fields = schemaOf(scan);
  const all = sourceFields(scan.source);
  const wanted = scan.projection ?? all.map((f) => f.name);
  const needed = new Set([...wanted, ...(scan.predicate ? columnsOf(scan.predicate) : [])]);
  const readFields = all.filter((f) => needed.has(f.name));
  const steps: Step[] = [];
  if (scan.predicate) steps.push({ t: "filter", predicate: scan.predicate });
  if (readFields.length !== fields.length) steps.push({ t: "project", exprs: fields.map((f) => ({ op: "col", name: f.name })) });
  const src = scan.source;
  const part = (source: SourceSpec): Part => ({ source, deps: [], steps, label: `scan-${source.type}` });

  switch (src.format) {
    case "parquet": {
      if (!("files" in src)) throw new InternalError("UNRESOLVED", "scan source not resolved");
      let fileCols = src.fileFields.filter((f) => needed.has(f.name)).map((f) => f.name);
      const hive = src.hiveFields.filter((f) => needed.has(f.name));
      let pqSteps = steps;
      if (fileCols.length === 0 && src.fileFields.length > 0) {
        // Row counts come from decoding a column: read the first one and project it away.
        fileCols = [(src.fileFields[0] as Field).name];
        if (!steps.some((s) => s.t === "project")) pqSteps = [...steps, { t: "project", exprs: fields.map((f) => ({ op: "col", name: f.name })) }];
      }
      let units: Unit[] = src.files.flatMap((file) => file.rowGroups.map((rg) => ({ file, rowGroup: rg.index, rows: rg.numRows })));
      const limit = scan.predicate === null ? scan.limit : null;
      if (limit !== null) {
        // Stop reading early: keep only the leading row groups that cover the limit.
        let acc = 0;
        const kept: Unit[] = [];
        for (const u of units) { if (acc >= limit) break; kept.push(u); acc += u.rows; }
        units = kept;
      }
      const rows = units.reduce((s, u) => s + u.rows, 0);
      const n = Math.max(1, Math.min(units.length, src.partitions ?? Math.ceil(rows / DEFAULT_PARTITION_ROWS)));
      const chunks = units.length === 0 ? [[]] : chunk(units, n);
      const parts = chunks.map((c): Part => ({ source: { type: "parquet", pieces: piecesOf(c, hive, fileCols), columns: fileCols, limit, fields: [...src.fileFields.filter((f) => fileCols.includes(f.name)), ...hive] }, deps: [], steps: pqSteps, label: "scan-parquet" }));
      return { parts, fields, rows };
    }
    case "csv": {
      if (!("files" in src)) throw new InternalError("UNRESOLVED", "scan source not resolved");
      const parts: Part[] = [];
      let bytes = 0;
      for (const f of src.files) {
        bytes += f.size;
        for (const r of f.ranges) {
          const range = r.start === 0 && r.end === f.size ? null : { start: r.start, end: r.end };
          parts.push(part({ type: "csv", url: f.url, range, fields: src.fields, delimiter: src.delimiter, header: src.header }));
        }
      }
      const csvSteps: Step[] = [...steps];
      if (!steps.some((s) => s.t === "project") && fields.length !== src.fields.length) csvSteps.push({ t: "project", exprs: fields.map((f) => ({ op: "col", name: f.name })) });
      if (scan.limit !== null && scan.predicate === null) csvSteps.push({ t: "limit", n: scan.limit, offset: 0 });
      return { parts: parts.map((p) => ({ ...p, steps: csvSteps })), fields, rows: bytes / 50 };
    }
    case "memory": {
      const memSteps: Step[] = [...steps];
      if (!steps.some((s) => s.t === "project") && fields.length !== src.fields.length) memSteps.push({ t: "project", exprs: fields.map((f) => ({ op: "col", name: f.name })) });
      const parts = src.partitions.map((data, i) => ({ source: { type: "memory" as const, ref: `${src.id}/${i}`, data }, deps: [], steps: memSteps, label: "scan-memory" }));
      if (parts.length === 0) throw new PlanError("EMPTY_SOURCE", "in-memory source has no partitions");
      return { parts, fields, rows: src.numRows };
    }
  }
  if (src.format === "persisted") {
    const memSteps: Step[] = [...steps];
    if (!steps.some((s) => s.t === "project") && fields.length !== src.fields.length) memSteps.push({ t: "project", exprs: fields.map((f) => ({ op: "col", name: f.name })) });
    const parts: Part[] = src.keys.map((key) => (memSteps.length === 0 ? { key } : { source: { type: "inputs", count: 1, fields: src.fields }, deps: [key], steps: memSteps, label: "scan-persisted" }));
    return { parts, fields, rows: src.numRows };
  }
  throw new InternalError("UNRESOLVED", `scan source ${(src as { format: string }).format} not resolved`);
}

