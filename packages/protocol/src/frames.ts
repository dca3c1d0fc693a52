// Binary WebSocket frames: a kind byte, then a msgpack control message, a batch of them, or a header plus raw data parts.
import { ProtocolError } from "@tessera/common";
import { FRAME_BATCH, decodeBatchBody } from "./batch.js";
import { decodeStrict } from "./decode.js";
import { encodePlain } from "./encode.js";

/** First byte of every frame. Text frames are never sent and are refused when received. */
export const FRAME_CONTROL = 1;
export const FRAME_DATA = 2;

/** Largest msgpack header of a data frame (it lists keys and part sizes, never the data itself). */
export const MAX_DATA_HEADER_BYTES = 16 * 1024 * 1024;

/** A decoded frame: a control message, a batch of them (see batch.ts), or a data frame's header and its body (the concatenated parts). */
export type Frame =
  | { readonly kind: "control"; readonly msg: unknown }
  | { readonly kind: "batch"; readonly msgs: readonly unknown[] }
  | { readonly kind: "data"; readonly header: unknown; readonly body: Uint8Array };

export function encodeControl(msg: unknown): Uint8Array {
  const body = encodePlain(msg);
  const out = new Uint8Array(1 + body.byteLength);
  out[0] = FRAME_CONTROL;
  out.set(body, 1);
  return out;
}

/** [2][u32 header length][header msgpack][parts...]: partition data travels as raw bytes (Arrow IPC), never JSON. */
export function encodeData(header: unknown, parts: readonly Uint8Array[]): Uint8Array {
  const head = encodePlain(header);
  let total = 5 + head.byteLength;
  for (const p of parts) total += p.byteLength;
  const out = new Uint8Array(total);
  out[0] = FRAME_DATA;
  new DataView(out.buffer).setUint32(1, head.byteLength);
  out.set(head, 5);
  let at = 5 + head.byteLength;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function bad(message: string): never {
  throw new ProtocolError("PROTOCOL_BAD_FRAME", message);
}

/** Splits and decodes one received frame; throws ProtocolError PROTOCOL_BAD_FRAME on anything malformed. */
export function decodeFrame(bytes: Uint8Array): Frame {
  if (bytes.byteLength < 2) bad(`a frame of ${bytes.byteLength} bytes is too short`);
  const kind = bytes[0];
  if (kind === FRAME_CONTROL) return { kind: "control", msg: decodeStrict(bytes.subarray(1)) };
  if (kind === FRAME_BATCH) return { kind: "batch", msgs: decodeBatchBody(bytes.subarray(1)) };
  if (kind !== FRAME_DATA) bad(`unknown frame kind ${kind}`);
  if (bytes.byteLength < 5) bad("a data frame without a header length");
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(1);
  if (len > MAX_DATA_HEADER_BYTES || 5 + len > bytes.byteLength) bad(`a data-frame header of ${len} bytes does not fit the frame`);
  return { kind: "data", header: decodeStrict(bytes.subarray(5, 5 + len)), body: bytes.subarray(5 + len) };
}
