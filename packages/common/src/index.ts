// @tessera/common: errors, structural keys, data types, shared helpers.
export {
  TesseraError, PlanError, ExecutionError, IoError, ProtocolError, InternalError,
  isTesseraError, errorToInfo, errorFromInfo,
} from "./errors.js";
export type { ErrorCategory, ErrorInfo } from "./errors.js";
export { assertNever, invariant } from "./assert.js";
export { stableStringify, structuralKey } from "./hash.js";
export {
  DTYPES, INTEGER_TYPES, FLOAT_TYPES, isInteger, isFloat, isNumeric, isTemporal, timestampUnitMs, promoteNumeric, fieldNames,
} from "./dtype.js";
export type { DType, Field, Schema } from "./dtype.js";
export { mulberry32 } from "./random.js";
export { checkChoice } from "./choices.js";
