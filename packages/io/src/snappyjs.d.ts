// Types for snappyjs (a CommonJS package without its own): only the decompressor Tessera uses.
declare module "snappyjs" {
  /** Decompresses raw Snappy; throws when the input is malformed or decompresses to more than `maxLength` bytes. */
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  const snappy: { uncompress: typeof uncompress };
  export default snappy;
}
