// Expression evaluation: evalExpr and the row-wise operators built on it.
export { evalExpr } from "./eval-expr.js";
export { evalPredicate, projectBatch, filterByPredicate } from "./project.js";
export { castColumn } from "./cast.js";
export { litColumn } from "./broadcast.js";
