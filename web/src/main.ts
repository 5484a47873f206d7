// The owner's page: the board, a store's week and the reports, over the service's public API.
// One page; the part shown follows the URL's hash (#/, #/store/<id>?as_of=…, #/reports), so the
// browser's back button and a bookmark work.
import { call, forgetKey, keyRequired, storedKey, storeKey, whenKeyRefused } from './api.js';
import { showBoard } from './board.js';
import { byId } from './dom.js';
import { showReports } from './reports.js';
import { showStore } from './week.js';

/** Stops the shown view's timers when another is shown. */
let stopView: () => void = () => undefined;

function askForKey(message: string): void {
  stopView();
  stopView = () => undefined;
  byId('view').replaceChildren();
  byId('view').hidden = true;
  byId('forget-key').hidden = true;
  byId('key-panel').hidden = false;
  byId('key-error').textContent = message;
  const input = byId<HTMLInputElement>('api-key');
  input.value = '';
  input.setAttribute('aria-invalid', message === '' ? 'false' : 'true');
  input.focus();
}

function route(): void {
  stopView();
  stopView = () => undefined;
  if (keyRequired() && storedKey() === null) return askForKey('');
  byId('key-panel').hidden = true;
  byId('forget-key').hidden = !keyRequired();
  const view = byId('view');
  view.hidden = false;
  view.replaceChildren();
  const [path, search = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(search);
  let section = 'board';
  if (path.startsWith('/store/')) {
    section = 'store';
    stopView = showStore(view, decodeURIComponent(path.slice('/store/'.length)), params);
  } else if (path === '/reports') {
    section = 'reports';
    stopView = showReports(view);
  } else {
    stopView = showBoard(view, params);
  }
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

byId<HTMLFormElement>('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = byId<HTMLInputElement>('api-key').value.trim();
  if (key === '') {
    byId('key-error').textContent = 'Enter the API key first.';
    return;
  }
  // One cheap call proves the key before anything is shown; a 401 comes back through whenKeyRefused.
  call('/reports?limit=1', {}, key).then(
    () => {
      storeKey(key);
      byId('key-error').textContent = '';
      route();
    },
    (error: Error) => {
      if (byId('key-panel').hidden || byId('key-error').textContent === '') {
        byId('key-error').textContent = `The key could not be checked: ${error.message}`;
      }
    },
  );
});

byId('forget-key').addEventListener('click', () => {
  forgetKey();
  askForKey('');
});

whenKeyRefused((message) => askForKey(message));
window.addEventListener('hashchange', route);
route();
