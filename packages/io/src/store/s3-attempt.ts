// One S3 request as the store runs it: the SDK client and an abort signal for the attempt's deadline.
import type { S3Client } from "@aws-sdk/client-s3";

/** One S3 request: gets an abort signal that fires when the attempt exceeds the request timeout. */
export type S3Attempt<T> = (client: S3Client, signal: AbortSignal) => Promise<T>;
