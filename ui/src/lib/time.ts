// Times as the rep reads them. The shell sends instants in UTC and wall-clock
// times with their offset ("2026-11-24T09:12:00-05:00"); the wall clock is
// read straight from the string, so no time zone database is needed here.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parts of a local RFC 3339 time, as written. */
function parts(local: string) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m;
  const weekday = new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDay();
  return { y: +y, mo: +mo, d: +d, hm: `${h}:${mi}`, weekday, ymd: `${y}-${mo}-${d}` };
}

/** "09:12" on `today` (YYYY-MM-DD), else "Tue 09:12". */
export function wallClock(local: string, today?: string): string {
  const p = parts(local);
  if (!p) return local;
  return today && p.ymd === today ? p.hm : `${DAYS[p.weekday]} ${p.hm}`;
}

/** "Tue 24 Nov". */
export function dayLabel(ymd: string): string {
  const p = parts(`${ymd}T00:00`);
  return p ? `${DAYS[p.weekday]} ${p.d} ${MONTHS[p.mo - 1]}` : ymd;
}

/** "in 20 min", "3 h ago", "2 days ago", "in 5 days". */
export function relative(instant: string, nowMs: number): string {
  const diff = Date.parse(instant) - nowMs;
  const abs = Math.abs(diff);
  const min = Math.round(abs / 60_000);
  let text: string;
  if (min < 1) return 'now';
  if (min < 60) text = `${min} min`;
  else if (min < 60 * 24) text = `${Math.round(min / 60)} h`;
  else {
    const days = Math.round(min / (60 * 24));
    text = `${days} day${days === 1 ? '' : 's'}`;
  }
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** "4:05" for a call timer. */
export function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** Full date and time for a tooltip: "Tue 24 Nov 09:12 (UTC-05:00)". */
export function absolute(local: string): string {
  const p = parts(local);
  if (!p) return local;
  const offset = local.endsWith('Z') ? 'UTC' : `UTC${local.slice(-6)}`;
  return `${DAYS[p.weekday]} ${p.d} ${MONTHS[p.mo - 1]} ${p.hm} (${offset})`;
}

/** The wall clock in an IANA zone at `nowMs`: "Tue 16:40". */
export function clockIn(zone: string, nowMs: number): string {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(new Date(nowMs))
      .replace(',', '');
  } catch {
    return '';
  }
}

function inZone(instant: string, zone: string | undefined, opts: Intl.DateTimeFormatOptions): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return instant;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', ...opts }).format(d).replaceAll(',', '');
  } catch {
    return new Intl.DateTimeFormat('en-GB', { hourCycle: 'h23', ...opts }).format(d).replaceAll(',', '');
  }
}

/** An instant's wall clock in the rep's zone: "09:12". */
export function hhmm(instant: string, zone?: string): string {
  return inZone(instant, zone, { hour: '2-digit', minute: '2-digit' });
}

/** An instant in the rep's zone, for lists: "Tue 24 Nov 09:12". */
export function when(instant: string, zone?: string): string {
  return inZone(instant, zone, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}
