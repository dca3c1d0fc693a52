// Sizes of a scan's source as the planner sees them: files, row groups and rows before any predicate.
import { assertNever } from "@tessera/common";
import type { ScanNode, ScanSource } from "../nodes.js";

/** What a scan will read. `null` where the source does not say (unresolved sources, CSV rows). */
export interface ScanStats {
  readonly files: number | null;
  readonly rowGroups: number | null;
  /** Rows stored in what is read; the predicate may drop more. */
  readonly rows: number | null;
}

/** True for sources whose metadata has been read (files listed, fields known). */
export function isResolved(s: ScanSource): boolean {
  return s.format === "memory" || s.format === "persisted" || "files" in s;
}

/**
 * Counts the files, row groups and rows a scan reads; pruning rules shrink these, so tests and
 * explain compare them before and after. A Parquet file's rows are the sum of its listed row groups.
 */
export function scanStats(scan: ScanNode): ScanStats {
  const s = scan.source;
  switch (s.format) {
    case "parquet": {
      if (!("files" in s)) return { files: s.urls.length, rowGroups: null, rows: null };
      let rowGroups = 0;
      let rows = 0;
      for (const f of s.files) {
        rowGroups += f.rowGroups.length;
        rows += f.rowGroups.length > 0 ? f.rowGroups.reduce((n, g) => n + g.numRows, 0) : f.numRows;
      }
      return { files: s.files.length, rowGroups, rows };
    }
    case "csv":
      return { files: "files" in s ? s.files.length : s.urls.length, rowGroups: null, rows: null };
    case "memory": case "persisted":
      return { files: null, rowGroups: null, rows: s.numRows };
    default:
      return assertNever(s, "scan source");
  }
}
