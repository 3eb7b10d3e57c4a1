import type { ArchIssue } from '../core/arch.js';
import { ArchError } from '../core/errors.js';
import { resolveArch, type ResolveOptions, type ResolvedArch } from './resolve.js';

/**
 * Every problem of an untrusted spec at once: form, unknown ops and attributes, duplicate ids,
 * dangling inputs, cycles, then shape rules (channel mismatch at add, groups, kernel larger than the
 * padded input, …), each with the path of the offending node. Empty when the spec is valid.
 */
export function validateArch(raw: unknown, opts: ResolveOptions = {}): ArchIssue[] {
  return resolveArch(raw, opts).issues;
}

/** The resolved architecture, or an {@link ArchError} listing every issue. */
export function assertArch(raw: unknown, opts: ResolveOptions = {}): ResolvedArch {
  const { arch, issues } = resolveArch(raw, opts);
  if (arch === undefined) throw new ArchError(issues);
  return arch;
}
