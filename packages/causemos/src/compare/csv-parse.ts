// A strict CSV reader for comparisons: "," separators, "-quoted fields with "" for a quote, "\n" line ends.

/** Rows of fields. A trailing newline ends the last record; it does not start an empty one. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) { quoted = true; fieldStarted = true; i++; continue; }
    if (c === ",") { row.push(field); field = ""; fieldStarted = false; i++; continue; }
    if (c === "\n") { row.push(field); rows.push(row); row = []; field = ""; fieldStarted = false; i++; continue; }
    field += c;
    fieldStarted = true;
    i++;
  }
  if (fieldStarted || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}
