// The Results screen's state: the sequences and their headline figures, the
// one picked, the period, its results (totals over every version; steps of
// the version picked), the advice thresholds and CSV exports. A newer read
// always wins over an older one still on its way, and what is on screen
// stays until the new figures arrive, so nothing jumps.
import { api, explain, type ExportKind } from '../api/client';
import type { ExportDto, ResultsSettingsDto, SequenceResultsDto, SequenceSummaryDto, VersionResultsDto } from '../api/types';
import { defaultVersion, hasActivity, nextVersion, parseThresholds, type Days, type ThresholdErrors } from './shape';

export class ResultsState {
  overview = $state<SequenceSummaryDto[] | null>(null);
  slug = $state<string | null>(null);
  days = $state<Days>(30);
  data = $state<SequenceResultsDto | null>(null);
  /** The version whose steps are shown; null before the first read. */
  version = $state<number | null>(null);
  error = $state<string | null>(null);
  loading = $state(false);
  settings = $state<ResultsSettingsDto | null>(null);
  thresholdErrors = $state<ThresholdErrors>({});
  thresholdsSaved = $state(false);
  exporting = $state<ExportKind | null>(null);
  exported = $state<(ExportDto & { what: ExportKind }) | null>(null);
  #reads = 0;

  constructor(slug: string | null = null, days: Days = 30) {
    this.slug = slug;
    this.days = days;
  }

  /** The rep picked a version by hand (kept across periods). */
  #pickedVersion = false;

  /** Anything at all happened in any sequence, ever (else the screen
   * teaches how results come about). */
  anyEver = $state(true);
  shown: VersionResultsDto | null = $derived(this.data?.versions.find((v) => v.version === this.version) ?? null);

  /** Reads everything again (on open, and when the engine says data changed). */
  async load() {
    const n = ++this.#reads;
    this.loading = true;
    try {
      const [overview, settings] = await Promise.all([api.resultsOverview(this.days), api.resultsSettings()]);
      // Nothing in the period: has anything ever happened?
      const ever = overview.some((s) => hasActivity(s.figures)) || (this.days !== null && (await api.resultsOverview(null)).some((s) => hasActivity(s.figures)));
      if (n !== this.#reads) return;
      this.overview = overview;
      this.settings = settings;
      this.anyEver = ever;
      if (!this.slug || !overview.some((s) => s.slug === this.slug)) {
        this.slug = (overview.find((s) => hasActivity(s.figures)) ?? overview[0])?.slug ?? null;
        this.#pickedVersion = false;
      }
      await this.#read(n);
    } catch (e) {
      if (n === this.#reads) this.error = explain(e);
    } finally {
      if (n === this.#reads) this.loading = false;
    }
  }

  /** The picked sequence's figures for the period. */
  async #read(n: number) {
    if (!this.slug) {
      this.data = null;
      return;
    }
    const data = await api.results(this.slug, this.days);
    if (n !== this.#reads) return;
    this.data = data;
    this.error = null;
    if (!this.#pickedVersion || !data.versions.some((v) => v.version === this.version)) {
      this.version = defaultVersion(data.versions);
      this.#pickedVersion = false;
    }
  }

  async #reread() {
    const n = ++this.#reads;
    this.loading = true;
    try {
      await this.#read(n);
    } catch (e) {
      if (n === this.#reads) this.error = explain(e);
    } finally {
      if (n === this.#reads) this.loading = false;
    }
  }

  pick(slug: string) {
    if (slug === this.slug) return;
    this.slug = slug;
    this.#pickedVersion = false;
    this.exported = null;
    return this.#reread();
  }

  /** Moves down (1) or up (-1) the sequence list. */
  move(by: number) {
    const list = this.overview ?? [];
    if (!list.length) return;
    const at = list.findIndex((s) => s.slug === this.slug);
    return this.pick(list[Math.max(0, Math.min(list.length - 1, at + by))].slug);
  }

  setDays(days: Days) {
    if (days === this.days) return;
    this.days = days;
    this.exported = null;
    return this.load();
  }

  pickVersion(version: number) {
    this.version = version;
    this.#pickedVersion = true;
  }

  cycleVersion() {
    const v = nextVersion(this.data?.versions ?? [], this.version);
    if (v !== null) this.pickVersion(v);
  }

  /** Saves the advice thresholds as typed, or says what is wrong with them.
   * The advice is read again with the new ones. */
  async saveThresholds(floor: string, window: string): Promise<boolean> {
    this.thresholdsSaved = false;
    const parsed = parseThresholds(floor, window);
    if ('errors' in parsed) {
      this.thresholdErrors = parsed.errors;
      return false;
    }
    const s = parsed.settings;
    if (this.settings && s.reply_floor_pct === this.settings.reply_floor_pct && s.window_days === this.settings.window_days) {
      this.thresholdErrors = {};
      return true;
    }
    try {
      this.settings = await api.setResultsSettings(s);
      this.thresholdErrors = {};
      this.thresholdsSaved = true;
      await this.#reread();
      return true;
    } catch (e) {
      this.thresholdErrors = { reply_floor_pct: explain(e) };
      return false;
    }
  }

  /** Writes a CSV of the picked sequence over the period where the rep
   * chooses. Returns where it went, or null when the rep cancelled. */
  async export(what: ExportKind): Promise<ExportDto | null> {
    if (this.exporting) return null;
    this.exporting = what;
    try {
      const done = await api.exportCsv(what, this.slug, this.days);
      if (done) this.exported = { ...done, what };
      return done;
    } finally {
      this.exporting = null;
    }
  }
}
