// The Settings screen's state: the mailbox and the rep's settings as last
// saved, one error per field (the engine's words), the password's fate and
// the connection test. Each field saves on its own, on blur or Enter.
import { api, explain } from '../api/client';
import type { ConnectionTestDto, MailboxDto, SettingsDto } from '../api/types';

/** Rep settings this screen edits (through `set_setting`). */
export type RepKey = 'sender_name' | 'sender_company' | 'signature' | 'opt_out';
export type MailboxKey = Exclude<keyof MailboxDto, 'configured' | 'has_password' | 'signed_in'>;

export class SettingsForm {
  mailbox = $state<MailboxDto | null>(null);
  rep = $state<SettingsDto | null>(null);
  loadError = $state<string | null>(null);
  /** The engine's refusal, by field key; gone once the field saves. */
  errors = $state<Record<string, string>>({});
  /** The field that saved last, for a quiet "Saved" beside it. */
  saved = $state<string | null>(null);
  passwordError = $state<string | null>(null);
  test = $state<ConnectionTestDto | null>(null);
  testError = $state<string | null>(null);
  testing = $state(false);
  /** A sign-in waits for the rep in the browser. */
  signingIn = $state(false);
  signInError = $state<string | null>(null);

  async load() {
    try {
      [this.mailbox, this.rep] = await Promise.all([api.mailboxSettings(), api.settings()]);
    } catch (e) {
      this.loadError = explain(e);
    }
  }

  /** A mailbox setting as the form shows it. */
  mailboxValue(key: MailboxKey): string {
    const v = this.mailbox?.[key];
    if (v === null || v === undefined) return '';
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    return Array.isArray(v) ? v.join(', ') : String(v);
  }

  repValue(key: RepKey): string {
    return this.rep?.[key] ?? '';
  }

  async saveMailbox(key: MailboxKey, value: string) {
    if (value.trim() === this.mailboxValue(key) && !this.errors[key]) return;
    await this.#save(key, async () => {
      this.mailbox = await api.setMailbox(key, value);
      this.test = null;
    });
  }

  /** The shell opens a file dialog and saves the chosen certificate's path. */
  async chooseCaFile() {
    await this.#save('ca_file', async () => {
      const chosen = await api.chooseCaFile();
      if (chosen) {
        this.mailbox = chosen;
        this.test = null;
      }
    });
  }

  async saveRep(key: RepKey, value: string) {
    if (value === this.repValue(key) && !this.errors[key]) return;
    await this.#save(key, async () => {
      this.rep = await api.setSetting(key, value);
    });
  }

  /** Desktop notifications when mail changes a sequence: on or off. */
  async saveNotifications(on: boolean) {
    await this.#save('notifications', async () => {
      this.rep = await api.setSetting('notifications', on ? 'on' : 'off');
    });
  }

  async #save(key: string, write: () => Promise<void>) {
    try {
      await write();
      const { [key]: _, ...rest } = this.errors;
      this.errors = rest;
      this.saved = key;
    } catch (e) {
      this.errors = { ...this.errors, [key]: explain(e) };
      if (this.saved === key) this.saved = null;
    }
  }

  /** Hands the password to the keyring; true when it is saved. */
  async savePassword(password: string): Promise<boolean> {
    if (!password) return false;
    try {
      this.mailbox = await api.saveMailboxPassword(password);
      this.passwordError = null;
      this.test = null;
      return true;
    } catch (e) {
      this.passwordError = explain(e);
      return false;
    }
  }

  /** Signs in with the provider in the rep's browser; resolves when it comes back (or is cancelled). */
  async signIn() {
    this.signingIn = true;
    this.signInError = null;
    try {
      this.mailbox = await api.signIn();
      this.test = null;
    } catch (e) {
      this.signInError = explain(e);
    } finally {
      this.signingIn = false;
    }
  }

  async cancelSignIn() {
    await api.cancelSignIn().catch(() => {});
  }

  async signOut() {
    try {
      this.mailbox = await api.signOut();
      this.test = null;
    } catch (e) {
      this.signInError = explain(e);
    }
  }

  /** Logs in to both servers (saving a typed password first). */
  async runTest(password: string) {
    this.testing = true;
    this.test = null;
    this.testError = null;
    try {
      if (password && !(await this.savePassword(password))) return;
      this.test = await api.testMailbox();
    } catch (e) {
      this.testError = explain(e);
    } finally {
      this.testing = false;
    }
  }
}
