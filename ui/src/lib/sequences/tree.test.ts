import { describe, expect, it } from 'vitest';
import type { StepDto } from '../api/types';
import { tree, whenWords, type Segment } from './tree';

const step = (number: number, delay: number, label: string, then: [string[], number | null][], next = then.length > 1 ? [{}] : []): StepDto =>
  ({
    number,
    channel: 'email',
    delay,
    day: 0,
    approval: true,
    thread: null,
    breakup: false,
    label,
    subject: null,
    text: '',
    variants: ['A'],
    next: next as StepDto['next'],
    then: then.map(([when, step]) => ({ when, step })),
  }) as StepDto;

// The shape of the cold-call-branches playbook.
const steps = [
  step(1, 0, 'opener', [[['next'], 2]]),
  step(2, 0, 'connect', [[['next'], 3]]),
  step(3, 2, 'first call', [[['connected'], 8], [['voicemail'], 5], [['otherwise'], 4]]),
  step(4, 3, 'new angle', [[['next'], 5]]),
  step(5, 2, 'linkedin message', [[['next'], 6]]),
  step(6, 2, 'second call', [[['next'], 7]]),
  step(7, 4, 'break-up', [[['always'], null]]),
  step(8, 0, 'as discussed', [[['next'], 9]]),
  step(9, 3, 'follow-up call', [[['next'], 10]]),
  step(10, 5, 'last note', [[['next'], null]]),
];

const labels = (s: Segment) => s.chain.map((n) => `${n.step.label}@${n.day}`);

describe('the sequence tree', () => {
  it('chains steps, forks where a step branches, and joins a step drawn above', () => {
    const t = tree(steps);
    expect(labels(t)).toEqual(['opener@1', 'connect@1', 'first call@3']);
    if (t.end.kind !== 'forks') throw new Error('the call forks');
    const [connected, voicemail, otherwise] = t.end.forks;
    expect(connected.when).toBe('if connected');
    expect(labels(connected.segment)).toEqual(['as discussed@3', 'follow-up call@6', 'last note@11']);
    expect(connected.segment.end.kind).toBe('end');
    expect(labels(voicemail.segment)).toEqual(['linkedin message@5', 'second call@7', 'break-up@11']);
    expect(otherwise.when).toBe('otherwise');
    expect(labels(otherwise.segment)).toEqual(['new angle@6']);
    expect(otherwise.segment.end).toMatchObject({ kind: 'joins', step: { number: 5 } });
  });

  it('says what leads down a fork in words', () => {
    expect(whenWords(['no_answer', 'wrong_number'])).toBe('if no answer or wrong number');
    expect(whenWords(['always'])).toBe('then');
    expect(whenWords(['otherwise'])).toBe('otherwise');
  });
});
