// Test-side S3 access through the raw SDK (independent of Tessera's store): upload files, list and read keys.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { S3rverHandle } from "./s3rver-fixture.js";
import { S3RVER_CREDENTIALS } from "./s3rver-fixture.js";

export function rawClient(h: S3rverHandle): S3Client {
  return new S3Client({
    endpoint: h.endpoint, region: "us-east-1", forcePathStyle: true, credentials: S3RVER_CREDENTIALS,
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** Uploads local files to s3://bucket/prefix/<file name>; returns the URLs. */
export async function upload(c: S3Client, files: readonly string[], bucket: string, prefix: string): Promise<string[]> {
  return Promise.all(files.map(async (f) => {
    const key = `${prefix}/${basename(f)}`;
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: readFileSync(f) }));
    return `s3://${bucket}/${key}`;
  }));
}

/** Every key under a prefix, sorted (ListObjectsV2, all pages). */
export async function listKeys(c: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const r = await c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of r.Contents ?? []) if (o.Key !== undefined) out.push(o.Key);
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out.sort();
}

export async function getText(c: S3Client, bucket: string, key: string): Promise<string> {
  const r = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await r.Body?.transformToString()) ?? "";
}

/** Downloads keys into `dir` keeping their relative paths under `prefix`; returns the local paths. */
export async function download(c: S3Client, bucket: string, keys: readonly string[], prefix: string, dir: string): Promise<string[]> {
  return Promise.all(keys.map(async (key) => {
    const r = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const local = join(dir, key.slice(prefix.length).replace(/^\/+/, ""));
    mkdirSync(dirname(local), { recursive: true });
    writeFileSync(local, (await r.Body?.transformToByteArray()) ?? new Uint8Array(0));
    return local;
  }));
}
