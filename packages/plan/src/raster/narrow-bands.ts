// Band pushdown: a read decodes only the bands the rest of the plan uses (band math names them; warps and time
// reductions pass them through), so NDVI over a 12-band file reads two. Changed nodes are rebuilt; others kept.
import { columnsOf, outputName } from "@tessera/expr";
import type { RasterNode } from "../nodes.js";
import { isResolvedRaster } from "./raster-nodes.js";

/** The bands of `n`'s output the consumer uses: null for all of them. */
export type NeededBands = ReadonlySet<string> | null;

function union(...parts: Iterable<string>[]): Set<string> {
  return new Set(parts.flatMap((p) => [...p]));
}

/** `n` reading only what `needed` (of its output) requires; `n` itself when nothing narrows. */
export function narrowBands(n: RasterNode, needed: NeededBands): RasterNode {
  switch (n.kind) {
    case "rasterScan": {
      if (needed === null) return n;
      const s = n.source;
      const all = isResolvedRaster(s) ? (s.format === "geotiff" ? s.meta.bands : s.first.bands) : null;
      const current = n.pushed ?? n.bands ?? all;
      // Unresolved and unselected: the file's band list is not known here, so the consumer's order is kept.
      const kept = current === null ? [...needed] : current.filter((b) => needed.has(b));
      // A plan using no band (band math of literals) still reads one, for the chunks' shape.
      const pushed = kept.length > 0 ? kept : current === null ? null : current.slice(0, 1);
      if (pushed === null || (current !== null && pushed.length === current.length)) return n;
      return { ...n, pushed };
    }
    case "bandMath": {
      const produced = new Set(n.exprs.map(outputName));
      const used = union(...n.exprs.map((e) => columnsOf(e)));
      const below: NeededBands = n.append ? (needed === null ? null : union([...needed].filter((b) => !produced.has(b)), used)) : used;
      const input = narrowBands(n.input, below);
      return input === n.input ? n : { ...n, input };
    }
    case "reduceTime": {
      const below: NeededBands = needed === null ? null : new Set([...needed].flatMap((name) => {
        const stat = n.stats.find((s) => name.endsWith(`_${s}`));
        return stat === undefined ? [] : [name.slice(0, -(stat.length + 1))];
      }));
      const input = narrowBands(n.input, below);
      return input === n.input ? n : { ...n, input };
    }
    case "regrid": case "reproject": {
      const input = narrowBands(n.input, needed);
      return input === n.input ? n : { ...n, input };
    }
    case "rasterize": return n;
  }
}
