// Key handling driven by the shortcut table: screens bind handlers to
// shortcut ids while they are on screen; a modal (a menu asking "why?")
// sees keys first.
import { SHORTCUTS, type ShortcutId } from './table';

type Handler = (e: KeyboardEvent) => void;
/** Sees a key first; true when it used it. */
type Modal = (e: KeyboardEvent) => boolean;
interface ModalEntry {
  see: Modal;
  /** Keys it does not use go on to the shortcuts (else they only do what the browser does). */
  transparent: boolean;
}

/** Keys that may repeat while held; everything else acts once per press. */
const REPEATS = new Set(['j', 'k', 'ArrowDown', 'ArrowUp']);

/** Does this event press `key` ("Mod+Enter", "Shift+E", "j", "?")? */
export function pressed(e: KeyboardEvent, key: string): boolean {
  const parts = key.split('+');
  const main = parts.pop()!;
  const mods = new Set(parts);
  const mod = e.ctrlKey || e.metaKey;
  if (mods.has('Mod') !== mod) return false;
  if (mods.has('Alt') !== e.altKey) return false;
  const k = main === 'Space' ? ' ' : main;
  if (mods.has('Shift')) {
    if (!e.shiftKey) return false;
    return e.key.toLowerCase() === k.toLowerCase();
  }
  // Shift is part of the character for "?" and the like; for letters it must
  // be up, and Caps Lock does not matter.
  if (/^[a-z]$/.test(k)) return !e.shiftKey && e.key.toLowerCase() === k;
  return e.key === k;
}

function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t || !t.tagName) return false;
  if (t.isContentEditable || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return true;
  return t.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes((t as HTMLInputElement).type);
}

/** Enter and Space on a focused button or link press it, not a shortcut. */
function pressesControl(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t?.closest || (e.key !== 'Enter' && e.key !== ' ') || e.ctrlKey || e.metaKey) return false;
  return !!t.closest('button, a[href], [role=menuitem], input[type=checkbox]');
}

export class Keymap {
  #handlers = new Map<ShortcutId, Handler[]>();
  #modals: ModalEntry[] = [];
  #prefix: string | null = null;
  #prefixTimer: ReturnType<typeof setTimeout> | undefined;

  /** Binds a handler while the calling screen is mounted; returns the unbind. */
  bind(id: ShortcutId, f: Handler): () => void {
    const list = this.#handlers.get(id) ?? [];
    list.push(f);
    this.#handlers.set(id, list);
    return () => {
      const l = this.#handlers.get(id) ?? [];
      this.#handlers.set(
        id,
        l.filter((h) => h !== f),
      );
    };
  }

  bindAll(map: Partial<Record<ShortcutId, Handler>>): () => void {
    const offs = Object.entries(map).map(([id, f]) => this.bind(id as ShortcutId, f!));
    return () => offs.forEach((o) => o());
  }

  /** A modal sees every key first; it returns true when it used it. An
   * opaque modal (a dialog) keeps the screen's shortcuts from the rest. */
  pushModal(see: Modal, transparent = false): () => void {
    const entry = { see, transparent };
    this.#modals.push(entry);
    return () => {
      this.#modals = this.#modals.filter((x) => x !== entry);
    };
  }

  /** Runs the action bound to `id`, as if its key was pressed. */
  run(id: ShortcutId): boolean {
    const list = this.#handlers.get(id);
    const f = list?.[list.length - 1];
    if (!f) return false;
    f(new KeyboardEvent('keydown'));
    return true;
  }

  isBound(id: ShortcutId): boolean {
    return (this.#handlers.get(id)?.length ?? 0) > 0;
  }

  handle = (e: KeyboardEvent) => {
    const top = this.#modals[this.#modals.length - 1];
    if (top) {
      if (top.see(e)) {
        e.preventDefault();
        e.stopPropagation();
        return;
      }
      if (!top.transparent) return;
    }
    const inField = typing(e);
    if (inField && !(e.ctrlKey || e.metaKey)) return;
    if (pressesControl(e)) return;
    if (['Shift', 'Control', 'Alt', 'Meta'].includes(e.key)) return;
    for (const s of SHORTCUTS) {
      for (const key of s.keys) {
        const seq = key.split(' ');
        const hit =
          seq.length === 2
            ? this.#prefix === seq[0] && pressed(e, seq[1])
            : this.#prefix === null && pressed(e, key);
        if (!hit) continue;
        const list = this.#handlers.get(s.id);
        const f = list?.[list.length - 1];
        if (!f) continue;
        this.#prefix = null;
        e.preventDefault();
        if (e.repeat && !REPEATS.has(key)) return;
        f(e);
        return;
      }
    }
    // The first key of a two-key shortcut waits a moment for the second.
    const starts = !inField && SHORTCUTS.some((s) => s.keys.some((k) => k.includes(' ') && k.split(' ')[0] === e.key));
    clearTimeout(this.#prefixTimer);
    if (starts && this.#prefix === null) {
      this.#prefix = e.key;
      this.#prefixTimer = setTimeout(() => (this.#prefix = null), 1200);
    } else {
      this.#prefix = null;
    }
  };
}
