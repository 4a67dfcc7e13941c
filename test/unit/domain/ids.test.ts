import { describe, expect, it } from 'vitest';
import { isCommitteeId } from '#shared/domain/ids.ts';

describe('isCommitteeId', () => {
  it.each(['main', 'so-a', 'ab', 'dang-uy-khoi-1', 'a'.repeat(40), '0x'])('accepts %j', (id) => {
    expect(isCommitteeId(id)).toBe(true);
  });

  it.each([
    '',
    'a',
    'a'.repeat(41),
    '-ab',
    'ab-',
    'a--b',
    'Main',
    'sở-a',
    'a_b',
    'a/b',
    'C#x',
    'ab\n',
    ' ab',
    undefined,
    null,
    42,
    ['ab'],
  ])('refuses %j', (id) => {
    expect(isCommitteeId(id)).toBe(false);
  });
});
