// Registering s3:// with explicit options (endpoint, credentials, region, path style), for this thread's registry.
import { registerObjectStore } from "./registry.js";
import { resolveS3Config, type S3Options } from "./s3-config.js";
import { LazyS3Store } from "./s3-lazy-store.js";

/**
 * Serves s3:// URLs in this thread with `options` over the AWS environment variables (see S3Options), replacing
 * the default registration (environment only). The SDK still loads on first use. Options are checked now
 * (IO_BAD_OPTION). Worker threads and worker processes have registries of their own: configure a cluster's
 * workers through the environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).
 */
export function registerS3(options: S3Options = {}): LazyS3Store {
  resolveS3Config(options);
  const store = new LazyS3Store(options);
  registerObjectStore("s3", store);
  return store;
}

/** A standalone s3 store (not registered), e.g. to reach a second endpoint with other credentials. */
export function createS3Store(options: S3Options = {}): LazyS3Store {
  resolveS3Config(options);
  return new LazyS3Store(options);
}
