// Before a manifest is published: every part it lists exists with the recorded size, and none is listed twice.
import { IoError, isTesseraError } from "@tessera/common";
import { storeFor } from "../store/registry.js";
import { joinUrl, normalizeUrl } from "../url.js";
import type { ManifestFile } from "./manifest.js";

const PARALLEL_HEADS = 16;

/** Throws IO_COMMIT naming the dataset and the part when a part is missing, has another size, or is listed twice. */
export async function verifyParts(dir: string, files: readonly ManifestFile[]): Promise<void> {
  const root = normalizeUrl(dir);
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new IoError("IO_COMMIT", `cannot commit ${root}: part ${f.path} is listed twice`, { url: root, path: f.path });
    seen.add(f.path);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const f = files[next++] as ManifestFile;
      const url = joinUrl(root, f.path);
      let size: number;
      try {
        size = (await storeFor(url).head(url)).size;
      } catch (e) {
        if (isTesseraError(e) && e.code === "IO_NOT_FOUND") {
          throw new IoError("IO_COMMIT", `cannot commit ${root}: part ${url} is missing`, { url: root, path: f.path });
        }
        throw e;
      }
      if (size !== f.bytes) {
        throw new IoError("IO_COMMIT", `cannot commit ${root}: part ${url} has ${size} bytes, ${f.bytes} were written`, { url: root, path: f.path });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_HEADS, files.length) }, worker));
}
