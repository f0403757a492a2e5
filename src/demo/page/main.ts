// The demo chat page: pick a demo user, then chat as them. Loaded as an
// ES module; the import map in index.html points
// `loopback4-chat-service/client` at the client's ES-module build.
import {ChatSession, DemoUser} from './session.js';
import {$, el} from './view.js';

async function main(): Promise<void> {
  // demo only: the host app hands out its demo users' tokens
  const response = await fetch('demo/tokens');
  if (!response.ok) throw new Error(`GET /demo/tokens: ${response.status}`);
  const {users} = (await response.json()) as {users: DemoUser[]};
  const chosen = new URLSearchParams(location.search).get('user');
  const me = users.find(u => u.name === chosen);
  renderPicker(users, me);
  if (!me) {
    $('#status').textContent = 'Pick a user to chat as.';
    return;
  }
  const other = users.find(u => u !== me)!;
  await new ChatSession(me, other, users).start();
}

/** Radio buttons: choosing a user reloads the page as them. */
function renderPicker(users: DemoUser[], me: DemoUser | undefined): void {
  const picker = $('#user-picker');
  for (const user of users) {
    const input = el('input', {
      type: 'radio',
      name: 'user',
      value: user.name,
      checked: user === me,
    });
    input.addEventListener('change', () => {
      location.search = `?user=${encodeURIComponent(user.name)}`;
    });
    picker.append(el('label', {}, input, ` ${user.name}`));
  }
}

main().catch(err => {
  $('#status').textContent = `Error: ${err?.message ?? err}`;
});
