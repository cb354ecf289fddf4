import { describe, expect, it, vi } from 'vitest';
import { Keymap, pressed } from './keymap.svelte';
import { SHORTCUTS } from './table';

function key(k: string, opts: KeyboardEventInit = {}, target?: HTMLElement): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...opts });
  if (target) Object.defineProperty(e, 'target', { value: target });
  return e;
}

describe('pressed', () => {
  it.each([
    ['j', key('j'), true],
    ['j', key('J', { shiftKey: true }), false],
    ['Mod+Enter', key('Enter', { ctrlKey: true }), true],
    ['Mod+Enter', key('Enter', { metaKey: true }), true],
    ['Mod+Enter', key('Enter'), false],
    ['Enter', key('Enter', { ctrlKey: true }), false],
    ['?', key('?', { shiftKey: true }), true],
    ['Shift+E', key('E', { shiftKey: true }), true],
    ['Space', key(' '), true],
  ])('%s', (spec, e, want) => expect(pressed(e, spec)).toBe(want));
});

describe('the shortcut table', () => {
  it('gives no key two meanings in places that are on screen together', () => {
    const together: Record<string, string[]> = {
      Anywhere: ['Anywhere', 'Today queue', 'Email', 'Call', 'LinkedIn and tasks', 'Prospects', 'Outbox', 'Replies', 'Signals', 'Results'],
      'Today queue': ['Today queue', 'Email', 'Call'],
      Email: ['Email'],
      Call: ['Call'],
      'LinkedIn and tasks': ['LinkedIn and tasks', 'Today queue'],
      Prospects: ['Prospects'],
      Outbox: ['Outbox'],
      Replies: ['Replies'],
      Signals: ['Signals'],
      Results: ['Results'],
    };
    for (const a of SHORTCUTS) {
      for (const b of SHORTCUTS) {
        if (a.id >= b.id || !together[a.scope].includes(b.scope)) continue;
        const shared = a.keys.filter((k) => (b.keys as readonly string[]).includes(k));
        expect(shared, `${a.id} and ${b.id}`).toEqual([]);
      }
    }
  });

  it('describes every shortcut', () => {
    for (const s of SHORTCUTS) expect(s.title.length * s.description.length).toBeGreaterThan(0);
  });
});

describe('Keymap', () => {
  it('runs the newest handler bound to a key, and stops after unbind', () => {
    const km = new Keymap();
    const a = vi.fn();
    const b = vi.fn();
    km.bind('queue.next', a);
    const off = km.bind('queue.next', b);
    km.handle(key('j'));
    expect(b).toHaveBeenCalledTimes(1);
    expect(a).not.toHaveBeenCalled();
    off();
    km.handle(key('ArrowDown'));
    expect(a).toHaveBeenCalledTimes(1);
  });

  it('understands two-key shortcuts', () => {
    const km = new Keymap();
    const go = vi.fn();
    km.bind('go.prospects', go);
    km.handle(key('g'));
    km.handle(key('p'));
    expect(go).toHaveBeenCalledTimes(1);
    km.handle(key('p'));
    expect(go).toHaveBeenCalledTimes(1);
  });

  it('leaves plain keys alone while the rep types, but not Ctrl+Enter', () => {
    const km = new Keymap();
    const next = vi.fn();
    const approve = vi.fn();
    km.bindAll({ 'queue.next': next, 'touch.primary': approve });
    const field = document.createElement('textarea');
    km.handle(key('j', {}, field));
    km.handle(key('Enter', { ctrlKey: true }, field));
    expect(next).not.toHaveBeenCalled();
    expect(approve).toHaveBeenCalledTimes(1);
  });

  it('gives a modal the keys first', () => {
    const km = new Keymap();
    const outcome = vi.fn();
    km.bind('call.connected', outcome);
    const seen: string[] = [];
    const off = km.pushModal((e) => {
      seen.push(e.key);
      return true;
    });
    km.handle(key('1'));
    expect(seen).toEqual(['1']);
    expect(outcome).not.toHaveBeenCalled();
    off();
    km.handle(key('1'));
    expect(outcome).toHaveBeenCalledTimes(1);
  });
});

describe('keys the rep does not mean', () => {
  it('acts once for a held key, except moving through the list', () => {
    const km = new Keymap();
    const approve = vi.fn();
    const next = vi.fn();
    km.bindAll({ 'touch.primary': approve, 'queue.next': next });
    km.handle(key('Enter', { ctrlKey: true }));
    km.handle(key('Enter', { ctrlKey: true, repeat: true }));
    km.handle(key('j'));
    km.handle(key('j', { repeat: true }));
    expect(approve).toHaveBeenCalledTimes(1);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('ignores Caps Lock', () => {
    const km = new Keymap();
    const next = vi.fn();
    km.bind('queue.next', next);
    km.handle(key('J'));
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('lets Enter press a focused button instead of a shortcut', () => {
    const km = new Keymap();
    const open = vi.fn();
    km.bind('queue.open', open);
    const button = document.createElement('button');
    document.body.append(button);
    km.handle(key('Enter', {}, button));
    expect(open).not.toHaveBeenCalled();
  });

  it('keeps shortcuts from the screen behind an open dialog', () => {
    const km = new Keymap();
    const outcome = vi.fn();
    km.bind('call.meeting_booked', outcome);
    const close = km.pushModal(() => false);
    km.handle(key('5'));
    expect(outcome).not.toHaveBeenCalled();
    close();
    const closeTransparent = km.pushModal(() => false, true);
    km.handle(key('5'));
    expect(outcome).toHaveBeenCalledTimes(1);
    closeTransparent();
  });
});
