// Validation of byte ranges shared by every ObjectStore implementation.
import { IoError } from "@tessera/common";

/** Throws IO_BAD_RANGE unless [offset, offset+length) lies within an object of `size` bytes. */
export function checkRange(url: string, size: number, offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new IoError("IO_BAD_RANGE", `bad byte range of ${url}: offset ${offset}, length ${length}, object size ${size}`, {
      url, offset, length, size,
    });
  }
}
