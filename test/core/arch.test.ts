import { describe, expect, it } from 'vitest';
import { canonicalKey } from '../../src/core/arch.js';

describe('canonicalKey', () => {
  it('does not depend on the key order of objects at any depth', () => {
    const a = {
      version: 1,
      nodes: [{ id: 'c', op: 'conv', inputs: ['input'], filters: 8, kernel: [3, 3] }],
      output: 'c',
    };
    const b = {
      output: 'c',
      nodes: [{ kernel: [3, 3], filters: 8, inputs: ['input'], op: 'conv', id: 'c' }],
      version: 1,
    };
    expect(canonicalKey(a)).toBe(canonicalKey(b));
  });

  it('sorts keys and keeps array order', () => {
    expect(canonicalKey({ b: 1, a: [2, 1] })).toBe('{"a":[2,1],"b":1}');
    expect(canonicalKey({ a: [1, 2] })).not.toBe(canonicalKey({ a: [2, 1] }));
  });

  it('drops undefined members, so an absent optional equals an undefined one', () => {
    expect(canonicalKey({ a: 1, b: undefined })).toBe(canonicalKey({ a: 1 }));
  });

  it('tells different values apart', () => {
    expect(canonicalKey({ filters: 8 })).not.toBe(canonicalKey({ filters: 16 }));
    expect(canonicalKey({ a: '1' })).not.toBe(canonicalKey({ a: 1 }));
  });
});
