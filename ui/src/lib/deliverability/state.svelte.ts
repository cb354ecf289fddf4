// The deliverability alarm: receivers refusing the rep's own sending (a
// block list, SPF/DKIM/DMARC, reverse DNS, content, policy). Shown in the nav
// and in Settings; loaded again whenever settings, the outbox or the inbox change.
import { api, explain } from '../api/client';
import type { DeliverabilityDto } from '../api/types';

export class DeliverabilityState {
  value = $state<DeliverabilityDto | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);

  /** Something the rep should look at: an unseen refusal, or sending paused. */
  get alarmed(): boolean {
    return !!this.value && (this.value.alarm !== null || this.value.paused_at !== null);
  }

  async load() {
    try {
      this.value = await api.deliverability();
      this.error = null;
    } catch (e) {
      this.error = explain(e);
    }
  }

  /** The rep has looked into it: sending goes on, the waiting emails go. */
  async resume() {
    this.busy = true;
    try {
      this.value = await api.resumeSending();
      this.error = null;
    } catch (e) {
      this.error = explain(e);
    } finally {
      this.busy = false;
    }
  }
}
