// The input's column vocabulary (spec §3.1): required columns, region levels, and which columns are qualifiers.

/** Columns with a fixed meaning; every other column is a qualifier (or the weight column). */
export const REQUIRED_COLS: ReadonlySet<string> = new Set(["timestamp", "country", "admin1", "admin2", "admin3", "lat", "lng", "feature", "value"]);
/** Region columns, coarse to fine; this order everywhere. */
export const REGION_LEVELS = ["country", "admin1", "admin2", "admin3"] as const;
/** The columns a file must have. */
export const MUST_HAVE = ["timestamp", "feature", "value"] as const;

/** The validated frame's column roles. */
export interface ColumnRoles {
  /** Region columns present, in REGION_LEVELS order. */
  readonly regions: readonly string[];
  /** Qualifier columns present, in frame order. */
  readonly qualifiers: readonly string[];
  /** The effective weight column ("" = unweighted). */
  readonly weight: string;
  /** Both lat and lng present (tiles possible). */
  readonly hasLatLng: boolean;
  /** Every column of the validated frame, in order. */
  readonly all: readonly string[];
}

/** Roles of a validated frame's columns (spec §3.1: qualifiers are computed after validation). */
export function columnRoles(columns: readonly string[], weight: string): ColumnRoles {
  return {
    regions: REGION_LEVELS.filter((r) => columns.includes(r)),
    qualifiers: columns.filter((c) => !REQUIRED_COLS.has(c) && c !== weight),
    weight,
    hasLatLng: columns.includes("lat") && columns.includes("lng"),
    all: [...columns],
  };
}
