// Migration 5: the trial a trial continues from (successive halving's promotion with continuation,
// docs/strategies.md): its number, null for a trial trained from its first epoch.

/** SQL of migration 5. */
export const SCHEMA_005 = `
ALTER TABLE trials ADD COLUMN continues INTEGER;
`;

/** Migration 5 in PostgreSQL. */
export const SCHEMA_005_POSTGRES = `
ALTER TABLE trials ADD COLUMN continues BIGINT;
`;
