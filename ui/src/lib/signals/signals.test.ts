import { describe, expect, it } from 'vitest';
import type { SignalReportDto } from '../api/types';
import { acceptedText, summary } from './signals.svelte';

const report = (over: Partial<SignalReportDto>): SignalReportDto => ({
  origin: 'drop.csv',
  stored: 0,
  new_prospects: 0,
  proposed: 0,
  enrolled: 0,
  kept: 0,
  refused: 0,
  duplicates: 0,
  rejected: 0,
  outcomes: [],
  more: 0,
  ...over,
});

describe('signals', () => {
  it('sums a report up in the words a rep reads, leaving out what did not happen', () => {
    expect(summary(report({ stored: 4, proposed: 3, duplicates: 1, rejected: 2 }))).toBe('3 proposed · 1 duplicate · 2 rejected');
    expect(summary(report({ stored: 2, enrolled: 1, new_prospects: 1, refused: 1 }))).toBe('1 enrolled · 1 refused · 1 new prospect');
    expect(summary(report({ stored: 0 }))).toBe('0 stored, nothing to propose');
  });

  it('says what accepting did, and why some were not enrolled', () => {
    expect(acceptedText({ enrolled: 1, skipped: [] })).toBe('1 prospect enrolled; their first touches are in Today.');
    expect(acceptedText({ enrolled: 2, skipped: [{ proposal: 4, reason: 'on the do-not-contact list' }] })).toBe(
      '2 prospects enrolled; 1 not: on the do-not-contact list.',
    );
  });
});
