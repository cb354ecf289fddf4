// Opening a link in another app (the browser, the phone app). When this
// computer has none set up, the system's own words ("Launcher "gio" "open"
// ... failed with ExitStatus(...)") mean nothing to a rep: the link is
// copied instead, and the rep is told so in plain words.
import { writeText } from '@tauri-apps/plugin-clipboard-manager';
import { openUrl } from '@tauri-apps/plugin-opener';

/** What happened, for a toast: null when the app opened it. */
export async function openOrCopy(url: string, what: 'browser' | 'phone'): Promise<{ text: string; kind: 'info' | 'error' } | null> {
  try {
    await openUrl(url);
    return null;
  } catch {
    const app = what === 'browser' ? 'web browser' : 'app for phone calls';
    const shown = what === 'phone' ? url.replace(/^tel:/, '') : url;
    try {
      await writeText(shown);
      return { text: `This computer has no ${app} set up to open it with, so it is copied: paste it where you need it (${shown}).`, kind: 'info' };
    } catch {
      return { text: `This computer has no ${app} set up to open it with: ${shown}`, kind: 'error' };
    }
  }
}
