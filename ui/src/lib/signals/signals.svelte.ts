// The Signals screen's state: proposals waiting (oldest first), the rules,
// the watched folder, and the last report of signals read.
import { api, explain } from '../api/client';
import type { AcceptedDto, SignalReportDto, SignalsDto } from '../api/types';

/** A report's totals in one line: "3 proposed · 1 refused · 2 rejected". */
export function summary(r: SignalReportDto): string {
  const parts: [number, string][] = [
    [r.proposed, 'proposed'],
    [r.enrolled, 'enrolled'],
    [r.kept, 'kept (no rule or no one to propose)'],
    [r.refused, 'refused'],
    [r.duplicates, r.duplicates === 1 ? 'duplicate' : 'duplicates'],
    [r.rejected, 'rejected'],
    [r.new_prospects, r.new_prospects === 1 ? 'new prospect' : 'new prospects'],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, w]) => `${n} ${w}`);
  return said.length ? said.join(' · ') : `${r.stored} stored, nothing to propose`;
}

/** What accepting did, for a toast. */
export function acceptedText(a: AcceptedDto): string {
  const enrolled = a.enrolled === 1 ? '1 prospect enrolled' : `${a.enrolled} prospects enrolled`;
  if (!a.skipped.length) return `${enrolled}; their first touches are in Today.`;
  return `${enrolled}; ${a.skipped.length} not: ${a.skipped[0].reason}.`;
}

export class SignalsState {
  data = $state<SignalsDto | null>(null);
  error = $state<string | null>(null);
  selected = $state<number | null>(null);
  /** The last file or folder read, to show what came of each row. */
  report = $state<SignalReportDto | null>(null);

  ids = $derived((this.data?.proposals ?? []).map((p) => p.id));

  async load() {
    try {
      this.data = await api.signals();
      this.error = null;
      if (!this.ids.includes(this.selected ?? -1)) this.selected = this.ids[0] ?? null;
    } catch (e) {
      this.error = explain(e);
    }
  }

  move(by: number) {
    if (!this.ids.length) return;
    const at = this.ids.indexOf(this.selected ?? -1);
    this.selected = this.ids[Math.max(0, Math.min(this.ids.length - 1, at + by))];
  }

  /** The proposal below the one that goes, so the cursor stays in place. */
  #after(ids: number[]): number | null {
    const at = this.ids.indexOf(this.selected ?? -1);
    const rest = this.ids.filter((id) => !ids.includes(id));
    return rest[Math.min(at, rest.length - 1)] ?? null;
  }

  async accept(ids: number[] | null): Promise<AcceptedDto> {
    const next = ids ? this.#after(ids) : null;
    const out = await api.acceptProposals(ids);
    this.selected = next;
    await this.load();
    return out;
  }

  async dismiss(ids: number[]) {
    const next = this.#after(ids);
    await api.dismissProposals(ids);
    this.selected = next;
    await this.load();
  }
}
