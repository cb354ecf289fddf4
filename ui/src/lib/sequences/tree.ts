// A branching sequence as a tree to draw: from step 1, the steps that follow
// one another in a chain, and where a step branches, one fork per way out.
// A step already drawn is not drawn again: the fork says it joins it.
import type { StepDto } from '../api/types';

export interface Node {
  step: StepDto;
  /** Business day of the sequence on this path (day 1 is enrollment). */
  day: number;
}

export interface Segment {
  chain: Node[];
  /** How the chain stops: the sequence ends, it joins a step drawn above, or it forks. */
  end: { kind: 'end' } | { kind: 'joins'; step: StepDto } | { kind: 'forks'; forks: Fork[] };
}

export interface Fork {
  /** "if connected", "if no answer or wrong number", "otherwise", "then". */
  when: string;
  segment: Segment;
}

/** The words for what leads down a fork. */
export function whenWords(keys: string[]): string {
  if (keys.includes('otherwise')) return 'otherwise';
  if (keys.includes('always') || keys.includes('next')) return 'then';
  return `if ${keys.map((k) => k.replaceAll('_', ' ')).join(' or ')}`;
}

export function tree(steps: StepDto[]): Segment {
  const byNumber = new Map(steps.map((s) => [s.number, s]));
  const drawn = new Set<number>();
  const walk = (first: number, day0: number): Segment => {
    const chain: Node[] = [];
    let at: number | null = first;
    let day = day0;
    while (at !== null) {
      const s = byNumber.get(at);
      if (!s) break;
      if (drawn.has(at)) return { chain, end: { kind: 'joins', step: s } };
      drawn.add(at);
      day += s.delay;
      chain.push({ step: s, day: day + 1 });
      if (s.then.length === 1) {
        at = s.then[0].step;
        continue;
      }
      const from = day;
      return {
        chain,
        end: {
          kind: 'forks',
          forks: s.then.map((t) => ({ when: whenWords(t.when), segment: t.step === null ? { chain: [], end: { kind: 'end' } } : walk(t.step, from) })),
        },
      };
    }
    return { chain, end: { kind: 'end' } };
  };
  return steps.length ? walk(1, 0) : { chain: [], end: { kind: 'end' } };
}

/** Whether any step branches. */
export const branches = (steps: StepDto[]) => steps.some((s) => s.next.length > 0);
