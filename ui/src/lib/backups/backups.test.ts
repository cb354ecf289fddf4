import { describe, expect, it } from 'vitest';
import { kindWords, size } from './backups';

describe('backups in words', () => {
  it('says why each backup was taken', () => {
    expect(kindWords('daily')).toBe('Daily, at start-up');
    expect(kindWords('before_restore')).toBe('Before a restore');
  });
  it('gives sizes a rep can read', () => {
    expect(size(200)).toBe('1 KB');
    expect(size(389_120)).toBe('389 KB');
    expect(size(12_400_000)).toBe('12.4 MB');
    expect(size(1_234_000_000)).toBe('1.2 GB');
  });
});
