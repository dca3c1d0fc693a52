// The s3:// store as registered: loads @aws-sdk/client-s3 and reads the configuration on first use only.
import type { ByteRange, ObjectInfo, ObjectStore } from "./object-store.js";
import { resolveS3Config, type S3Config, type S3Options } from "./s3-config.js";
import type { S3Store } from "./s3-store.js";

/**
 * An S3 ObjectStore whose SDK client is made on the first request, from `options` over the AWS environment
 * variables as they are at that moment. Importing or registering it costs nothing, so file:// users never load
 * the SDK. Also offers `deleteMany` (batched DeleteObjects) and `config()`.
 */
export class LazyS3Store implements ObjectStore {
  private loading: Promise<S3Store> | undefined;

  constructor(private readonly options: S3Options = {}) {}

  private store(): Promise<S3Store> {
    this.loading ??= import("./s3-store.js").then((m) => new m.S3Store(resolveS3Config(this.options)));
    return this.loading;
  }

  /** The configuration in force (loads the SDK). */
  async config(): Promise<S3Config> {
    return (await this.store()).config;
  }

  async list(prefix: string): Promise<ObjectInfo[]> { return (await this.store()).list(prefix); }
  async head(url: string): Promise<ObjectInfo> { return (await this.store()).head(url); }
  async get(url: string, range?: ByteRange): Promise<Uint8Array> { return (await this.store()).get(url, range); }
  async put(url: string, bytes: Uint8Array): Promise<void> { return (await this.store()).put(url, bytes); }
  async delete(url: string): Promise<void> { return (await this.store()).delete(url); }
  async deleteMany(urls: readonly string[]): Promise<void> {
    if (urls.length === 0) return;
    return (await this.store()).deleteMany(urls);
  }

  /** Closes the client's sockets if it was made; the store may still be used afterwards (a new client is made). */
  close(): void {
    const loading = this.loading;
    this.loading = undefined;
    void loading?.then((s) => s.destroy(), () => undefined);
  }
}
