// Decodes Causemos map tiles (protobuf tiles.Tile) in the browser: coord {x, y, z, t}, bins {stats map, totalBins}.

/** A reader over protobuf wire bytes: varints (up to 2^53), fixed 64-bit doubles, length-delimited fields. */
class Reader {
  constructor(bytes, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
  }
  varint() {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new Error("tile: truncated varint");
      const b = this.bytes[this.pos++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new Error("tile: varint too long");
  }
  double() {
    if (this.pos + 8 > this.end) throw new Error("tile: truncated double");
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /** The sub-reader of a length-delimited field. */
  sub() {
    const n = this.varint();
    if (this.pos + n > this.end) throw new Error("tile: truncated field");
    const r = new Reader(this.bytes, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
  /** Skips a field of wire type `type`. */
  skip(type) {
    if (type === 0) this.varint();
    else if (type === 1) this.pos += 8;
    else if (type === 2) this.sub();
    else if (type === 5) this.pos += 4;
    else throw new Error(`tile: unsupported wire type ${type}`);
  }
  /** Calls `f(field, type)` for each field until the end; `f` reads the value or returns false to skip it. */
  fields(f) {
    while (this.pos < this.end) {
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      const type = tag % 8;
      if (f(field, type) === false) this.skip(type);
    }
  }
}

function decodeStats(r) {
  const s = { count: 0, sum: 0, avg: 0, s_sum_t_sum: 0, s_sum_t_mean: 0, weight: 0 };
  const names = { 2: "sum", 3: "avg", 4: "s_sum_t_sum", 5: "s_sum_t_mean", 6: "weight" };
  r.fields((field, type) => {
    if (field === 1 && type === 0) { s.count = r.varint(); return true; }
    const name = names[field];
    if (name !== undefined && type === 1) { s[name] = r.double(); return true; }
    return false;
  });
  return s;
}

/**
 * Decodes a tile's bytes: `{ coord: { x, y, z, t }, totalBins, bins: Map(bin index → stats) }`, absent fields 0
 * (proto3). Throws an Error saying what was wrong with the bytes.
 */
export function decodeTile(bytes) {
  const tile = { coord: { x: 0, y: 0, z: 0, t: 0 }, totalBins: 0, bins: new Map() };
  const r = new Reader(bytes);
  r.fields((field, type) => {
    if (type !== 2 || (field !== 1 && field !== 2)) return false;
    const sub = r.sub();
    if (field === 1) {
      sub.fields((f, t) => {
        if (t !== 0 || f < 1 || f > 4) return false;
        tile.coord[["x", "y", "z", "t"][f - 1]] = sub.varint();
        return true;
      });
      return true;
    }
    sub.fields((f, t) => {
      if (f === 2 && t === 0) { tile.totalBins = sub.varint(); return true; }
      if (f !== 1 || t !== 2) return false;
      const entry = sub.sub();
      let key = 0;
      let stats = decodeStats(new Reader(new Uint8Array(0)));
      entry.fields((ef, et) => {
        if (ef === 1 && et === 0) { key = entry.varint(); return true; }
        if (ef === 2 && et === 2) { stats = decodeStats(entry.sub()); return true; }
        return false;
      });
      tile.bins.set(key, stats);
      return true;
    });
    return true;
  });
  return tile;
}
