/*
 * The retention's bounds, free of imports: shared/config.ts and infra/config.ts validate with them,
 * and neither should load the date code of policy.ts for three numbers.
 */

/**
 * How long the data of a school year is kept: whole school years after it ends. Two by default,
 * the period a hogeschool keeps assessment work after the result is set; the Hogeschool's
 * privacy officer decides, and the deploy sets it (`-c retentionYears=N`, docs/retention.md).
 */
export const DEFAULT_RETENTION_YEARS = 2;
export const MIN_RETENTION_YEARS = 1;
export const MAX_RETENTION_YEARS = 10;
