// Migration 2: which engine trained each trial (compiled graph or eager tfjs), and why a trial fell
// back to the eager engine, as JSON text ({ "name": "compiled" } or { "name": "eager", "fallback": … });
// and the inference latency measured on the compiled graph, beside the eager model's.

/** SQL of migration 2. */
export const SCHEMA_002 = `
ALTER TABLE trials ADD COLUMN engine TEXT;
ALTER TABLE trials ADD COLUMN compiled_latency_ms REAL;
`;

/** Migration 2 in PostgreSQL. */
export const SCHEMA_002_POSTGRES = `
ALTER TABLE trials ADD COLUMN engine JSON;
ALTER TABLE trials ADD COLUMN compiled_latency_ms DOUBLE PRECISION;
`;
