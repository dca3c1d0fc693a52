// Multipart upload of one large object: create, upload the parts concurrently, complete; abort on any failure.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand,
} from "@aws-sdk/client-s3";
import { IoError } from "@tessera/common";
import type { S3Attempt } from "./s3-attempt.js";

/** Runs one request through the store (slot, retries, deadline, errors naming the URL). */
export type S3Send = <T>(f: S3Attempt<T>) => Promise<T>;

export interface MultipartTarget {
  readonly bucket: string;
  readonly key: string;
  readonly url: string;
}

/**
 * Uploads `bytes` in parts of `partSize` bytes (the last may be smaller). The object appears only when the
 * upload completes, so readers see the old object or the whole new one. On failure the upload is aborted
 * (best effort) so no orphaned parts are billed, and the first error is rethrown.
 */
export async function putMultipart(send: S3Send, t: MultipartTarget, bytes: Uint8Array, partSize: number): Promise<void> {
  const created = await send((c, abortSignal) => c.send(new CreateMultipartUploadCommand({ Bucket: t.bucket, Key: t.key }), { abortSignal }));
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new IoError("IO_WRITE", `cannot write ${t.url}: the store returned no multipart upload id`, { url: t.url });
  try {
    const count = Math.ceil(bytes.length / partSize);
    // allSettled: no part may still be uploading when the upload is aborted (it would leave a billed part behind).
    const settled = await Promise.allSettled(Array.from({ length: count }, async (_, i) => {
      const body = bytes.subarray(i * partSize, Math.min(bytes.length, (i + 1) * partSize));
      const r = await send((c, abortSignal) => c.send(new UploadPartCommand({
        Bucket: t.bucket, Key: t.key, UploadId: uploadId, PartNumber: i + 1, Body: body, ContentLength: body.length,
      }), { abortSignal }));
      return { PartNumber: i + 1, ETag: r.ETag };
    }));
    const parts = settled.map((p) => {
      if (p.status === "rejected") throw p.reason;
      return p.value;
    });
    await send((c, abortSignal) => c.send(new CompleteMultipartUploadCommand({
      Bucket: t.bucket, Key: t.key, UploadId: uploadId, MultipartUpload: { Parts: parts },
    }), { abortSignal }));
  } catch (e) {
    await send((c, abortSignal) => c.send(new AbortMultipartUploadCommand({ Bucket: t.bucket, Key: t.key, UploadId: uploadId }), { abortSignal }))
      .catch(() => undefined);
    throw e;
  }
}
