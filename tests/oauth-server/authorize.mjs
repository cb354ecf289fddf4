// The rep's browser, for tests of Cadence's own sign-in: opens the
// authorization URL Cadence made (its PKCE challenge, its state, its
// loopback redirect), fills the test server's login and consent forms, and
// follows the redirect back to Cadence's one-shot listener, whose page it
// prints. Exits non-zero when the flow does not reach the listener.
//   node tests/oauth-server/authorize.mjs URL [LOGIN]
import { Browser, USER, check, parseForm } from './client.mjs';

export async function authorize(url, login = USER) {
  const redirect = new URL(new URL(url).searchParams.get('redirect_uri'));
  const browser = new Browser();
  let page = await browser.go(url);
  for (let i = 0; i < 4 && new URL(page.url).host !== redirect.host; i += 1) {
    const form = parseForm(page.html, page.url);
    check(form, `no form on ${page.url} (${page.res.status}): ${page.html.slice(0, 300)}`);
    const fields = form.fields.prompt === 'login' ? { prompt: 'login', login, password: 'anything' } : form.fields;
    page = await browser.go(form.action, { method: 'POST', form: fields });
  }
  check(new URL(page.url).host === redirect.host, `the flow did not come back to ${redirect.host} (last ${page.url})`);
  return { status: page.res.status, text: page.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const [url, login] = process.argv.slice(2);
  authorize(url, login).then(
    (r) => console.log(`${r.status} ${r.text}`),
    (e) => {
      console.error(`authorize.mjs: ${e.message}`);
      process.exit(1);
    },
  );
}
