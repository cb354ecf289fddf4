import { describe, expect, it } from 'vitest';
import { absolute, dayLabel, duration, relative, wallClock } from './time';

describe('times as the rep reads them', () => {
  it('reads the wall clock from the string, in the zone it was written in', () => {
    expect(wallClock('2026-11-24T09:12:00-05:00', '2026-11-24')).toBe('09:12');
    expect(wallClock('2026-11-24T16:40:00+01:00', '2026-11-23')).toBe('Tue 16:40');
  });
  it('names days', () => expect(dayLabel('2026-11-24')).toBe('Tue 24 Nov'));
  it('says how far off a time is', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    expect(relative('2026-11-24T12:20:00Z', now)).toBe('in 20 min');
    expect(relative('2026-11-24T09:00:00Z', now)).toBe('3 h ago');
    expect(relative('2026-11-22T12:00:00Z', now)).toBe('2 days ago');
  });
  it('formats a call timer', () => expect(duration(245)).toBe('4:05'));
  it('gives the offset on hover', () => expect(absolute('2026-11-24T09:12:00-05:00')).toBe('Tue 24 Nov 09:12 (UTC-05:00)'));
});
