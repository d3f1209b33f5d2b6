// The SessionBot playground: a small Mattermost client for the sandbox emulator. It uses the emulator's Mattermost
// REST API (/api/v4/…) exactly as Mattermost's own clients do, plus the sandbox-only /sandbox/… endpoints for what a
// real client gets elsewhere (the demo people, Markdown rendering, a change feed instead of the websocket).
// Every value is put in the page as text (textContent); the only HTML inserted is the server's rendering of Markdown,
// which has raw HTML disabled.
'use strict';

const state = {
  team: null,
  people: [],
  botUserId: '',
  townSquareId: '',
  opsChannelId: '',
  me: null,
  channelId: '',
  // The person's direct-message channels ({ id, other, total }), and how many posts of each were there when last open.
  directChannels: [],
  seen: new Map(),
  inspectId: '',
  commands: [],
  users: new Map(),
  html: new Map(),
  version: -1,
  suggestion: -1,
  refreshing: null,
  again: false,
};

const $ = id => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

class ApiError extends Error {
  constructor(status, id, message) {
    super(message);
    this.status = status;
    this.id = id;
  }
}

async function call(url, options) {
  const response = await fetch(url, options);
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!response.ok) {
    throw new ApiError(response.status, body && body.id, (body && body.message) || `${response.status} ${response.statusText}`);
  }
  return body;
}

// As a signed-in client calls Mattermost: the session token as a bearer token.
function api(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + state.me.session_token, 'X-Requested-With': 'XMLHttpRequest' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return call('/api/v4' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

function sandbox(method, path, body) {
  const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
  return call('/sandbox' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

function fullName(person) {
  return [person.first_name, person.last_name].filter(Boolean).join(' ');
}

function personLabel(person) {
  const name = fullName(person);
  return `@${person.username}${name ? ' — ' + name : ''}`;
}

function roleNames(roles) {
  return roles.split(' ').filter(r => r && r !== 'system_user').map(r => r.replace(/^system_/, '')).join(', ') || 'user';
}

// Mattermost's names for a session, as its Active Sessions page gives them.
function sessionKind(s) {
  if (s.access_token) return 'Personal access token';
  if (/apple|android/.test(s.device)) return 'Mobile app';
  if (s.browser.includes('Desktop App')) return 'Desktop app';
  if (s.platform === 'Linux' && s.os.includes('Android')) return 'Web browser on Android';
  return 'Web browser' + (s.platform ? ' on ' + s.platform : '');
}

function ago(ms) {
  const seconds = Math.round((Date.now() - ms) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text = s < 60 ? 'moments' : s < 3600 ? `${Math.round(s / 60)} min` : s < 86400 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} days`;
  return future ? `in ${text}` : `${text} ago`;
}

function time(ms) {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// ---- Markdown, rendered by the emulator (Markdig, HTML disabled) and cached by text ----

function markdownTexts(post) {
  const texts = [post.message];
  for (const a of attachmentsOf(post)) {
    for (const key of ['pretext', 'title', 'text']) if (typeof a[key] === 'string') texts.push(a[key]);
    for (const f of Array.isArray(a.fields) ? a.fields : []) if (typeof f.value === 'string') texts.push(f.value);
  }
  return texts.filter(t => t !== '');
}

async function renderMarkdown(posts) {
  const missing = [...new Set(posts.flatMap(markdownTexts).filter(t => !state.html.has(t)))];
  for (let i = 0; i < missing.length; i += 200) {
    const batch = missing.slice(i, i + 200);
    const html = await sandbox('POST', '/markdown', batch);
    batch.forEach((text, n) => state.html.set(text, html[n]));
  }
}

function markdown(text, className) {
  const node = element('div', className);
  // The emulator's rendering: raw HTML in the text arrives escaped, unsafe links as plain text.
  node.innerHTML = state.html.get(text) || '';
  for (const link of node.querySelectorAll('a')) link.target = '_blank';
  return node;
}

function attachmentsOf(post) {
  return Array.isArray(post.props && post.props.attachments) ? post.props.attachments.filter(a => a && typeof a === 'object') : [];
}

// ---- Loading ----

async function loadUsers(ids) {
  const missing = [...new Set(ids)].filter(id => id && !state.users.has(id));
  if (missing.length === 0) return;
  for (const user of await api('POST', '/users/ids', missing)) state.users.set(user.id, user);
}

async function refresh() {
  // One refresh at a time; a change that comes meanwhile asks for one more.
  if (state.refreshing) {
    state.again = true;
    return state.refreshing;
  }
  state.refreshing = (async () => {
    do {
      state.again = false;
      await Promise.all([refreshDirectChannels(), refreshChannel(), refreshPanel()]);
    } while (state.again);
  })();
  try {
    await state.refreshing;
  } finally {
    state.refreshing = null;
  }
}

async function refreshChannel() {
  let list;
  try {
    list = await api('GET', `/channels/${state.channelId}/posts`);
  } catch (e) {
    if (e.status === 401) return showSignedOut();
    return showError(e.message);
  }
  hideSignedOut();
  const posts = list.order.map(id => list.posts[id]).reverse();
  try {
    await loadUsers(posts.map(p => p.user_id));
  } catch (e) {
    if (e.status === 401) return showSignedOut();
  }
  await renderMarkdown(posts);
  renderPosts(posts);
}

// As Mattermost's clients list a team's channels: the person's direct messages come with them (type D, no team).
async function refreshDirectChannels() {
  let direct;
  try {
    const channels = await api('GET', `/users/me/teams/${encodeURIComponent(state.team.id)}/channels`);
    direct = channels.filter(c => c.type === 'D');
    await loadUsers(direct.map(otherMember));
  } catch {
    direct = [];
  }
  state.directChannels = direct.map(c => ({ id: c.id, other: otherMember(c), total: c.total_msg_count }))
    .sort((a, b) => usernameOf(a.other).localeCompare(usernameOf(b.other)));
  renderDirectChannels();
}

// A direct-message channel is named by its two members' ids, sorted and joined by "__" (the same id twice with oneself).
function otherMember(channel) {
  return channel.name.split('__').find(id => id !== state.me.id) || state.me.id;
}

function usernameOf(userId) {
  const user = state.users.get(userId);
  return user ? user.username : userId;
}

async function refreshPanel() {
  const [people, inspected, notices] = await Promise.all([
    sandbox('GET', '/people'),
    sandbox('GET', `/people/${state.inspectId}`),
    sandbox('GET', `/channels/${state.opsChannelId}/posts`),
  ]);
  state.people = people.people;
  state.me = state.people.find(p => p.id === state.me.id) || state.me;
  const noticePosts = notices.order.map(id => notices.posts[id]).reverse().filter(p => p.user_id === state.botUserId);
  await renderMarkdown(noticePosts);
  renderPeopleState();
  renderInspected(inspected);
  renderNotices(noticePosts);
}

// ---- Rendering ----

function renderPosts(posts) {
  const list = $('posts');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const roots = posts.filter(p => !p.root_id || !posts.some(r => r.id === p.root_id));
  list.replaceChildren(...roots.flatMap(root => [renderPost(root, false), ...posts.filter(p => p.root_id === root.id).map(p => renderPost(p, true))]));
  if (posts.length === 0) list.append(element('li', 'post subtle', 'No messages yet. Type / to see SessionBot’s commands.'));
  if (atBottom || list.dataset.rendered !== state.channelId) list.scrollTop = list.scrollHeight;
  list.dataset.rendered = state.channelId;
  document.body.dataset.ready = 'true';
}

function channelButton(id, name, elementId) {
  const button = element('button', '', name);
  button.type = 'button';
  button.id = elementId;
  button.dataset.channelId = id;
  button.setAttribute('aria-current', String(id === state.channelId));
  button.addEventListener('click', () => chooseChannel(id));
  return button;
}

// Unread: posts that came since the channel was last open here (a new one counts everything as unread).
function renderDirectChannels() {
  const list = $('direct-channels');
  if (state.directChannels.length === 0) {
    list.replaceChildren(element('li', 'empty', 'None yet: SessionBot writes here when someone acts on your account.'));
    return;
  }
  list.replaceChildren(...state.directChannels.map(channel => {
    if (channel.id === state.channelId) state.seen.set(channel.id, channel.total);
    const unread = channel.total - (state.seen.get(channel.id) || 0);
    const name = usernameOf(channel.other);
    const button = channelButton(channel.id, name, 'channel-dm-' + name);
    if (unread > 0) {
      button.classList.add('unread');
      const count = element('span', 'unread-count', String(unread));
      count.setAttribute('aria-label', `${unread} unread`);
      button.append(count);
    }
    const item = element('li');
    item.append(button);
    return item;
  }));
}

function renderPost(post, isReply) {
  const ephemeral = post.type === 'system_ephemeral';
  const item = element('li', 'post' + (ephemeral ? ' ephemeral' : '') + (isReply ? ' reply' : ''));
  item.dataset.postId = post.id;
  if (post.root_id) item.dataset.rootId = post.root_id;

  const header = element('div', 'post-header');
  const user = state.users.get(post.user_id);
  const fromIntegration = post.props && post.props.from_webhook === 'true';
  const override = fromIntegration && typeof post.props.override_username === 'string' ? post.props.override_username : '';
  header.append(element('span', 'post-author', override || (user ? user.username : post.user_id)));
  if (fromIntegration || (user && user.is_bot)) header.append(element('span', 'tag', 'BOT'));
  header.append(element('span', 'post-time', time(post.create_at)));
  if (ephemeral) header.append(element('span', 'only-you', '(Only visible to you)'));
  if (isReply) header.append(element('span', 'thread-note', 'replied in the thread'));
  item.append(header);

  if (post.message) item.append(markdown(post.message, 'post-body'));
  for (const attachment of attachmentsOf(post)) item.append(renderAttachment(post, attachment));
  return item;
}

function renderAttachment(post, attachment) {
  const box = element('div', 'attachment');
  const color = typeof attachment.color === 'string' ? attachment.color : '';
  const named = { good: '#06966e', warning: '#db8f00', danger: '#d24b4e' };
  if (/^#[0-9a-f]{3,6}$/i.test(color) || named[color]) box.style.borderLeftColor = named[color] || color;
  if (attachment.pretext) box.append(markdown(attachment.pretext, 'post-body'));
  if (attachment.title) box.append(markdown(attachment.title, 'attachment-title post-body'));
  if (attachment.text) box.append(markdown(attachment.text, 'post-body'));
  const fields = Array.isArray(attachment.fields) ? attachment.fields : [];
  if (fields.length) {
    const row = element('div', 'attachment-fields');
    for (const field of fields) {
      const cell = element('div', 'attachment-field');
      cell.append(element('div', 'attachment-field-title', String(field.title || '')));
      if (typeof field.value === 'string') cell.append(markdown(field.value, 'post-body'));
      row.append(cell);
    }
    box.append(row);
  }
  const actions = Array.isArray(attachment.actions) ? attachment.actions : [];
  if (actions.length) {
    const row = element('div', 'actions');
    for (const action of actions) {
      const style = ['primary', 'danger', 'success', 'good', 'warning'].includes(action.style) ? ' ' + action.style : '';
      const button = element('button', 'action' + style, String(action.name || ''));
      button.type = 'button';
      button.dataset.actionId = String(action.id || '');
      button.addEventListener('click', () => click(post, action, button));
      row.append(button);
    }
    box.append(row);
  }
  return box;
}

function renderPeopleState() {
  const list = $('people-state');
  list.replaceChildren(...state.people.map(person => {
    const item = element('li');
    item.dataset.userId = person.id;
    const name = element('button', 'person-name', '@' + person.username);
    name.type = 'button';
    name.title = fullName(person);
    name.addEventListener('click', () => inspect(person.id));
    item.append(name);
    item.append(element('span', 'badge ' + (person.active ? 'active' : 'deactivated'), person.active ? 'active' : 'deactivated'));
    item.append(element('span', 'badge', `${person.sessions} session${person.sessions === 1 ? '' : 's'}`));
    if (person.active && !person.signed_in) item.append(element('span', 'badge signed-out', 'signed out here'));
    return item;
  }));
}

function renderInspected(data) {
  const person = data.person;
  const line = $('inspected-state');
  line.replaceChildren(
    element('span', 'badge ' + (person.active ? 'active' : 'deactivated'), person.active ? 'active' : 'deactivated'),
    document.createTextNode(` ${fullName(person)} · ${roleNames(person.roles)}${person.auth_service ? ' · ' + person.auth_service : ''}`));
  line.dataset.active = String(person.active);
  const list = $('sessions');
  list.dataset.userId = person.id;
  list.dataset.count = String(data.sessions.length);
  if (data.sessions.length === 0) {
    list.replaceChildren(element('li', 'empty', 'No sessions: signed out everywhere.'));
    return;
  }
  list.replaceChildren(...data.sessions.map(s => {
    const item = element('li');
    item.dataset.sessionId = s.id;
    const top = element('div');
    top.append(element('span', 'kind', sessionKind(s)), document.createTextNode(' '), element('code', '', s.id.slice(0, 8)));
    if (s.playground) top.append(document.createTextNode(' '), element('span', 'badge', 'this playground'));
    if (s.expired) top.append(document.createTextNode(' '), element('span', 'badge deactivated', 'expired'));
    item.append(top);
    const details = [s.os, s.browser].filter(Boolean).join(' · ');
    if (details) item.append(element('div', 'detail', details));
    item.append(element('div', 'detail', `signed in ${ago(s.create_at)} · active ${ago(s.last_activity_at)} · expires ${ago(s.expires_at)}`));
    return item;
  }));
}

function renderNotices(posts) {
  const list = $('notices');
  if (posts.length === 0) {
    list.replaceChildren(element('li', 'empty', 'None yet: changes are announced here.'));
    return;
  }
  list.replaceChildren(...posts.slice(-30).reverse().map(post => {
    const item = element('li');
    item.dataset.postId = post.id;
    item.append(element('span', 'post-time', time(post.create_at) + ' '), markdown(post.message, 'post-body'));
    return item;
  }));
}

function showError(message) {
  const box = $('composer-error');
  box.textContent = message;
  box.hidden = false;
}

function hideError() {
  $('composer-error').hidden = true;
}

function showSignedOut() {
  $('signed-out-text').textContent = state.me.active
    ? `@${state.me.username} is signed out here: this browser session was revoked. Mattermost would show the sign-in page.`
    : `@${state.me.username} is deactivated and cannot sign in.`;
  $('signed-out').hidden = false;
  $('posts').replaceChildren();
  state.directChannels = [];
  renderDirectChannels();
  document.body.dataset.ready = 'true';
}

function hideSignedOut() {
  $('signed-out').hidden = true;
}

// ---- Actions ----

async function send(event) {
  event.preventDefault();
  const box = $('message');
  const text = box.value;
  if (!text.trim()) return;
  hideError();
  hideSuggestions();
  $('send').disabled = true;
  try {
    if (text.startsWith('/')) {
      await api('POST', '/commands/execute', { channel_id: state.channelId, team_id: state.team.id, command: text, root_id: '' });
    } else {
      await api('POST', '/posts', { channel_id: state.channelId, message: text });
    }
    box.value = '';
  } catch (e) {
    if (e.status === 401) showSignedOut(); else showError(e.message);
  } finally {
    $('send').disabled = false;
    box.focus();
  }
  await refresh();
}

async function click(post, action, button) {
  hideError();
  button.disabled = true;
  try {
    await api('POST', `/posts/${encodeURIComponent(post.id)}/actions/${encodeURIComponent(action.id)}`, { selected_option: '', cookie: action.cookie || '' });
  } catch (e) {
    if (e.status === 401) showSignedOut(); else showError(e.message);
  } finally {
    button.disabled = false;
  }
  await refresh();
}

async function signIn() {
  try {
    await sandbox('POST', `/people/${state.me.id}/sign-in`);
    hideSignedOut();
  } catch (e) {
    $('signed-out-text').textContent = e.message;
  }
  await refresh();
}

// ---- Suggestions from the registered commands' autocomplete data ----

function suggestionsFor(text) {
  if (!text.startsWith('/') || text.includes('\n')) return [];
  const space = text.indexOf(' ');
  const typed = (space < 0 ? text : text.slice(0, space)).slice(1).toLowerCase();
  if (space < 0) return state.commands.filter(c => c.trigger.startsWith(typed));
  return state.commands.filter(c => c.trigger === typed && text.slice(space + 1).trim() === '');
}

function showSuggestions() {
  const text = $('message').value;
  const matches = suggestionsFor(text);
  const list = $('suggestions');
  if (matches.length === 0) return hideSuggestions();
  state.suggestion = Math.min(Math.max(state.suggestion, 0), matches.length - 1);
  list.replaceChildren(...matches.map((command, n) => {
    const item = element('li');
    item.setAttribute('role', 'option');
    item.setAttribute('aria-selected', String(n === state.suggestion));
    item.dataset.trigger = command.trigger;
    item.append(element('span', 'trigger', '/' + command.trigger), element('span', 'hint-text', command.auto_complete_hint),
      element('span', 'desc', command.auto_complete_desc));
    item.addEventListener('mousedown', e => { e.preventDefault(); complete(command); });
    return item;
  }));
  list.hidden = false;
}

function hideSuggestions() {
  $('suggestions').hidden = true;
  state.suggestion = -1;
}

function complete(command) {
  const box = $('message');
  const space = box.value.indexOf(' ');
  box.value = '/' + command.trigger + ' ' + (space < 0 ? '' : box.value.slice(space + 1).trimStart());
  box.focus();
  showSuggestions();
}

function onKey(event) {
  const list = $('suggestions');
  const open = !list.hidden && list.children.length > 0;
  const typedTrigger = !$('message').value.includes(' ');
  if (open && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) {
    event.preventDefault();
    state.suggestion = (state.suggestion + (event.key === 'ArrowDown' ? 1 : -1) + list.children.length) % list.children.length;
    showSuggestions();
  } else if (open && typedTrigger && (event.key === 'Tab' || event.key === 'Enter')) {
    event.preventDefault();
    complete(state.commands.find(c => c.trigger === list.children[state.suggestion].dataset.trigger));
  } else if (event.key === 'Escape') {
    hideSuggestions();
  } else if (event.key === 'Enter' && !event.shiftKey) {
    send(event);
  }
}

// ---- Who, where ----

async function choosePerson(id) {
  state.me = state.people.find(p => p.id === id) || state.people[0];
  $('person').value = state.me.id;
  $('person-about').textContent = `${roleNames(state.me.roles)} · ${state.me.about}`;
  state.inspectId = state.me.id;
  $('inspect').value = state.me.id;
  // Another person's direct messages are not theirs to read.
  if (state.channelId !== state.opsChannelId) showChannel(state.townSquareId);
  hideError();
  try {
    state.commands = await api('GET', `/teams/${state.team.id}/commands/autocomplete`);
  } catch {
    state.commands = [];
  }
  remember();
  await refresh();
}

function chooseChannel(id) {
  showChannel(id);
  hideError();
  remember();
  return refresh();
}

function showChannel(id) {
  state.channelId = id;
  for (const button of document.querySelectorAll('.sidebar button[data-channel-id]')) button.setAttribute('aria-current', String(button.dataset.channelId === id));
  const direct = state.directChannels.find(c => c.id === id);
  if (direct) {
    const name = usernameOf(direct.other);
    $('channel-name').textContent = name;
    $('channel-note').textContent = `Direct messages between you and @${name}.`
      + (direct.other === state.botUserId ? ' SessionBot writes here when someone else acts on your account.' : '');
    $('message').placeholder = `Write to ${name}`;
    return;
  }
  const ops = id === state.opsChannelId;
  $('channel-name').textContent = ops ? '~ops' : 'Town Square';
  $('channel-note').textContent = ops
    ? 'Admins only may post. SessionBot announces every change here; messages starting with a command word go to its outgoing webhook.'
    : 'Everyone is here. Replies to slash commands are only visible to you.';
  $('message').placeholder = ops ? 'Write to ~ops — e.g. revoke all @bob, or a /command' : 'Write to Town Square — type / for SessionBot’s commands';
}

function inspect(id) {
  state.inspectId = id;
  $('inspect').value = id;
  remember();
  return refresh();
}

function channelParam() {
  const direct = state.directChannels.find(c => c.id === state.channelId);
  return direct ? '@' + usernameOf(direct.other) : state.channelId === state.opsChannelId ? 'ops' : 'town-square';
}

function remember() {
  const params = new URLSearchParams({ as: state.me ? state.me.username : '', channel: channelParam() });
  if (state.me && state.inspectId !== state.me.id) {
    const watched = state.people.find(p => p.id === state.inspectId);
    if (watched) params.set('inspect', watched.username);
  }
  history.replaceState(null, '', '?' + params.toString());
}

// The change feed: the emulator answers when anything a client could see has changed (where Mattermost has its websocket).
async function watch() {
  for (;;) {
    try {
      const { version } = await sandbox('GET', `/changes?after=${state.version}`);
      if (version !== state.version) {
        state.version = version;
        await refresh();
      }
    } catch {
      await new Promise(resolve => setTimeout(resolve, 1000));
    }
  }
}

async function start() {
  const data = await sandbox('GET', '/people');
  state.team = data.team;
  state.people = data.people;
  state.botUserId = data.bot_user_id;
  state.townSquareId = data.town_square_id;
  state.opsChannelId = data.ops_channel_id;

  const params = new URLSearchParams(location.search);
  const byName = name => state.people.find(p => p.username === name);
  for (const select of [$('person'), $('inspect')]) {
    select.replaceChildren(...state.people.map(p => new Option(`${personLabel(p)} (${roleNames(p.roles)})`, p.id)));
  }
  const channels = [[state.townSquareId, 'Town Square'], [state.opsChannelId, '~ops']];
  $('channels').replaceChildren(...channels.map(([id, name]) => {
    const item = element('li');
    item.append(channelButton(id, name, 'channel-' + (id === state.opsChannelId ? 'ops' : 'town-square')));
    return item;
  }));

  $('person').addEventListener('change', e => choosePerson(e.target.value));
  $('inspect').addEventListener('change', e => inspect(e.target.value));
  $('composer').addEventListener('submit', send);
  $('message').addEventListener('keydown', onKey);
  $('message').addEventListener('input', showSuggestions);
  $('message').addEventListener('blur', hideSuggestions);
  $('sign-in').addEventListener('click', signIn);
  for (const button of document.querySelectorAll('[data-try]')) {
    button.addEventListener('click', () => {
      $('message').value = button.dataset.try;
      $('message').focus();
      hideSuggestions();
    });
  }

  showChannel(params.get('channel') === 'ops' ? state.opsChannelId : state.townSquareId);
  const me = byName(params.get('as') || 'hana') || state.people[0];
  await choosePerson(me.id);
  const direct = state.directChannels.find(c => '@' + usernameOf(c.other) === params.get('channel'));
  if (direct) await chooseChannel(direct.id);
  const watched = byName(params.get('inspect') || '');
  if (watched) await inspect(watched.id);
  performance.mark('playground-ready');
  watch();
}

start().catch(e => showError('The playground could not start: ' + e.message));
