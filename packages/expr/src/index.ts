// @tessera/expr: expression nodes (plain data), the user-facing builder, and plan-time typing.
export type { ExprNode, ExprOp, LitValue, BinaryFn, UnaryFn, AggFn, TruncateUnit, StrPredFn, TileFn } from "./nodes.js";
export { children, withChildren, transform, columnsOf, containsAgg, outputName, conjuncts, andAll } from "./nodes.js";
export { Expr, DtNamespace, StrNamespace, WhenThen, WhenChain, isExpr, litNode, toNode, col, lit, len, corr, when, exprOrCol } from "./builder.js";
export type { IntoExpr } from "./builder.js";
export { typeOf, nullableOf, fieldOf, lookupField, columnNotFound } from "./resolve.js";
export { AGGREGATES, aggDescriptor, isDecomposable, isOrderSensitive, aggStateFields, aggOutputField } from "./aggregates.js";
export type { AggDescriptor, StatePart, HolisticFn, DecomposableFn, AggCall, AggSpec, AggStateField } from "./aggregates.js";
export { tile, MAX_TILE_ZOOM, MAX_BIN_LEVEL } from "./tile.js";
export { checkExprNames, checkDType, EXPR_OPS, BINARY_FNS, UNARY_FNS, AGG_FNS, TRUNCATE_UNITS, STR_PRED_FNS } from "./check-names.js";
